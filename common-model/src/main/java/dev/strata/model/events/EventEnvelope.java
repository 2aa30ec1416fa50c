package dev.strata.model.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on the stream, as a CloudEvents 1.0 event in JSON structured mode.
 *
 * <p>Component names are the CloudEvents attribute names on purpose: the extensions {@code groupid} and
 * {@code schemaversion} must be lower-case alphanumerics, and keeping Java and JSON names identical leaves
 * nothing to map. The constructor enforces the contract, so an envelope that exists is a valid one; see
 * {@link EventEnvelopeCodec} for (de)serialization.
 *
 * @param specversion     always {@value #SPEC_VERSION}
 * @param id              unique per event; consumers deduplicate on it
 * @param source          URI-reference of the producing service, e.g. {@code /strata/ingest-service}
 * @param type            an event type from the ontology, e.g. {@link EventType#THING_CREATED}
 * @param time            when it happened, written as an RFC 3339 UTC string
 * @param subject         what the event is about (e.g. a thing id), or {@code null}
 * @param datacontenttype media type of {@code data}; defaults to {@value #JSON}
 * @param groupid         the tenant group (a UUID); also the Kafka key, so a group's events stay in order
 * @param schemaversion   version of the {@code data} shape, so consumers can evolve; see {@link #SCHEMA_VERSION}
 * @param data            the payload, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // CloudEvents consumers must tolerate extensions they do not know
@JsonPropertyOrder({
    "specversion",
    "id",
    "source",
    "type",
    "time",
    "subject",
    "datacontenttype",
    "groupid",
    "schemaversion",
    "data"
})
public record EventEnvelope(
        @JsonProperty("specversion") String specversion,
        @JsonProperty("id") String id,
        @JsonProperty("source") String source,
        @JsonProperty("type") String type,
        @JsonProperty("time") Instant time,
        @JsonProperty("subject") String subject,
        @JsonProperty("datacontenttype") String datacontenttype,
        @JsonProperty("groupid") String groupid,
        @JsonProperty("schemaversion") int schemaversion,
        @JsonProperty("data") JsonNode data) {

    /** The only CloudEvents version this contract speaks. */
    public static final String SPEC_VERSION = "1.0";

    /** The version of the payload shapes the code in this release writes. */
    public static final int SCHEMA_VERSION = 1;

    /** Default {@code datacontenttype}: every Strata payload is JSON. */
    public static final String JSON = "application/json";

    public EventEnvelope {
        if (!SPEC_VERSION.equals(specversion)) {
            throw new InvalidEventException(
                    "specversion", "specversion must be \"" + SPEC_VERSION + "\" but was " + quoted(specversion));
        }
        requireNonBlank("id", id);
        requireNonBlank("source", source);
        requireNonBlank("type", type);
        if (time == null) {
            throw new InvalidEventException("time", "time is required");
        }
        requireNonBlank("groupid", groupid);
        try {
            UUID.fromString(groupid);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("groupid", "groupid must be a UUID but was " + quoted(groupid), e);
        }
        if (schemaversion < 1) {
            throw new InvalidEventException(
                    "schemaversion", "schemaversion must be a positive integer but was " + schemaversion);
        }
        if (datacontenttype == null) {
            datacontenttype = JSON;
        }
        if (data != null && data.isNull()) {
            data = null; // "data": null and an absent data mean the same; keep one representation
        }
    }

    /** Builds an envelope at the current {@link #SCHEMA_VERSION} with JSON data. */
    public static EventEnvelope of(
            String id, String source, String type, Instant time, String subject, UUID groupId, JsonNode data) {
        Objects.requireNonNull(groupId, "groupId");
        return new EventEnvelope(
                SPEC_VERSION, id, source, type, time, subject, JSON, groupId.toString(), SCHEMA_VERSION, data);
    }

    /** The tenant group as a UUID; the constructor guarantees {@link #groupid()} parses. */
    public UUID groupUuid() {
        return UUID.fromString(groupid);
    }

    private static void requireNonBlank(String attribute, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(attribute, attribute + " is required and must not be blank");
        }
    }

    private static String quoted(String value) {
        return value == null ? "missing" : "\"" + value + "\"";
    }
}
