package dev.strata.metrics.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.store.Facts.Activity;
import dev.strata.metrics.store.Facts.ApiCalls;
import dev.strata.metrics.store.Facts.Archived;
import dev.strata.metrics.store.Facts.Fact;
import dev.strata.metrics.store.Facts.NewConnection;
import dev.strata.metrics.store.Facts.NewKnowledge;
import dev.strata.metrics.store.Facts.NewThing;
import dev.strata.metrics.store.Facts.Revenue;
import dev.strata.metrics.store.Facts.ThingChange;
import dev.strata.model.events.ApiCallCount;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import dev.strata.model.events.payload.ActivityRecorded;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.support.messaging.StreamRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads an event's envelope and data into the facts the projections store. Payloads are read leniently (unknown
 * fields are ignored, so producers can add fields), but a payload that lacks what its facts need is refused as a
 * whole: it is set aside, never half-applied.
 */
@ApplicationScoped
public class ProjectionEventDecoder {

    private static final ObjectMapper DATA =
            EventEnvelopeCodec.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader THING_CREATED = DATA.readerFor(ThingCreated.class);
    private static final ObjectReader CONNECTION_CREATED = DATA.readerFor(ConnectionCreated.class);
    private static final ObjectReader KNOWLEDGE_CREATED = DATA.readerFor(KnowledgeCreated.class);
    private static final ObjectReader ACTIVITY_RECORDED = DATA.readerFor(ActivityRecorded.class);

    /** An ISO 4217 code, as ingest requires it. */
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** Entries ingest writes to its own log (no actor; the thing, if any, is the target). */
    private static final Set<String> LOG_ENTRIES =
            Set.of(EventType.BATCH_IMPORT, EventType.THING_UPDATED, EventType.THING_DELETED);

    private final Set<String> nonActivityTypes;

    public ProjectionEventDecoder(MetricsConfig config) {
        this.nonActivityTypes = Set.copyOf(config.nonActivityTypes());
    }

    /** An event and its facts, in stream order. */
    public record Decoded(EventRecord event, UUID groupId, Instant publishedAt, List<Fact> facts) {}

    /**
     * @throws InvalidEventException if the record is not a valid event, or its data lacks what its type needs
     */
    public Decoded decode(StreamRecord record) {
        // The attributes are parsed here; data stays bytes, bound straight into the record its type needs.
        EventRecord event = EventEnvelopeCodec.read(record.value());
        UUID group = event.groupUuid();
        List<Fact> facts = new ArrayList<>(2);
        switch (event.type()) {
            case EventType.THING_CREATED -> facts.add(newThing(group, event, read(event, THING_CREATED)));
            case EventType.CONNECTION_CREATED ->
                facts.add(newConnection(group, event, read(event, CONNECTION_CREATED)));
            case EventType.KNOWLEDGE_CREATED -> facts.add(newKnowledge(group, event, read(event, KNOWLEDGE_CREATED)));
            case EventType.API_CALL -> facts.add(new ApiCalls(group, event.time(), ApiCallCount.of(event.data())));
            case EventType.EVENTS_ARCHIVED -> facts.add(archived(group, event.data()));
            case EventType.THING_UPDATED -> facts.add(thingChange(group, event, event.data()));
            default -> {
                // other system facts (group_created, ...) only move the group's position
            }
        }
        if (!nonActivityTypes.contains(event.type())) {
            facts.add(activity(group, event));
        }
        return new Decoded(event, group, record.publishedAt(), facts);
    }

    private static NewThing newThing(UUID group, EventRecord event, ThingCreated t) {
        requireValue(t.id(), "data.id");
        requireValue(t.type(), "data.type");
        requireValue(t.name(), "data.name");
        String properties = t.properties() == null || t.properties().isNull()
                ? "{}"
                : t.properties().toString();
        return new NewThing(
                group,
                t.id(),
                t.type(),
                t.name(),
                t.status() == null ? "active" : t.status(),
                properties,
                t.propertiesBytes(),
                t.createdAt() == null ? event.time() : t.createdAt());
    }

    private static NewConnection newConnection(UUID group, EventRecord event, ConnectionCreated c) {
        requireValue(c.id(), "data.id");
        requireValue(c.fromThingId(), "data.fromThingId");
        requireValue(c.fromType(), "data.fromType");
        requireValue(c.toThingId(), "data.toThingId");
        requireValue(c.toType(), "data.toType");
        requireValue(c.relationshipType(), "data.relationshipType");
        String metadata = c.metadata() == null || c.metadata().isNull()
                ? null
                : c.metadata().toString();
        return new NewConnection(
                group,
                c.id(),
                c.fromThingId(),
                c.fromType(),
                c.toThingId(),
                c.toType(),
                c.relationshipType(),
                metadata,
                c.strength(),
                c.validFrom(),
                c.validTo(),
                c.createdAt() == null ? event.time() : c.createdAt());
    }

    private static NewKnowledge newKnowledge(UUID group, EventRecord event, KnowledgeCreated k) {
        requireValue(k.id(), "data.id");
        requireValue(k.sourceThingId(), "data.sourceThingId");
        String text = k.text() == null ? "" : k.text();
        int textBytes =
                k.textBytes() > 0 || text.isEmpty() ? k.textBytes() : text.getBytes(StandardCharsets.UTF_8).length;
        return new NewKnowledge(
                group,
                k.id(),
                k.sourceThingId(),
                k.kind() == null ? "chunk" : k.kind(),
                text,
                textBytes,
                k.embeddingDimensions(),
                k.createdAt() == null ? event.time() : k.createdAt());
    }

    private static ThingChange thingChange(UUID group, EventRecord event, JsonNode data) {
        UUID id = uuid(require(data, "id"), "data.id");
        JsonNode changes = data.path("changes");
        String name = changes.path("name").path("to").isTextual()
                ? changes.path("name").path("to").asText()
                : null;
        String status = changes.path("status").path("to").isTextual()
                ? changes.path("status").path("to").asText()
                : null;
        JsonNode properties = changes.path("properties").path("to");
        String propertiesJson = properties.isObject() ? properties.toString() : null;
        Integer propertiesBytes = propertiesJson == null
                ? null
                : data.path("propertiesBytes").asInt(propertiesJson.getBytes(StandardCharsets.UTF_8).length);
        Instant updatedAt =
                data.hasNonNull("updatedAt") ? instant(data.get("updatedAt"), "data.updatedAt") : event.time();
        return new ThingChange(group, id, name, propertiesJson, propertiesBytes, status, updatedAt);
    }

    private static Archived archived(UUID group, JsonNode data) {
        Instant min = instant(require(data, "minTime"), "data.minTime");
        Instant max = instant(require(data, "maxTime"), "data.maxTime");
        List<String> types = new ArrayList<>();
        for (Iterator<String> names = data.path("countsByType").fieldNames(); names.hasNext(); ) {
            types.add(names.next());
        }
        // The envelope's group, never the payload's: an event can only ever touch its own group.
        return new Archived(group, min, max, types);
    }

    private static Activity activity(UUID group, EventRecord event) {
        if (LOG_ENTRIES.contains(event.type())) {
            JsonNode data = event.data();
            UUID target = null;
            if (!EventType.BATCH_IMPORT.equals(event.type()) && event.subject() != null) {
                target = uuid(event.subject(), "subject");
            }
            return new Activity(
                    group,
                    event.id(),
                    event.type(),
                    null,
                    target,
                    event.time(),
                    data == null ? null : data.toString(),
                    event.time(),
                    null);
        }
        ActivityRecorded recorded =
                event.hasData() ? read(event, ACTIVITY_RECORDED) : new ActivityRecorded(null, null, null, null);
        UUID actor = recorded.actorId() != null
                ? recorded.actorId()
                : event.subject() == null ? null : uuid(event.subject(), "subject");
        JsonNode metadata = recorded.metadata();
        Revenue revenue = EventType.REVENUE_GENERATED.equals(event.type()) ? revenue(metadata) : null;
        return new Activity(
                group,
                event.id(),
                event.type(),
                actor,
                recorded.targetId(),
                event.time(),
                metadata == null || metadata.isNull() ? null : metadata.toString(),
                recorded.recordedAt() == null ? event.time() : recorded.recordedAt(),
                revenue);
    }

    /**
     * The money of a {@code revenue_generated} event: ingest accepts none without a numeric {@code amount} and a
     * three-letter {@code currency}, so one without them breaks the contract and is set aside (rejected_events,
     * kind contract) rather than summed under a guessed currency.
     */
    private static Revenue revenue(JsonNode metadata) {
        JsonNode amount = metadata == null ? null : metadata.get("amount");
        if (amount == null || !amount.isNumber()) {
            throw new InvalidEventException("data", "data.metadata.amount must be a number for revenue_generated");
        }
        JsonNode currency = metadata.get("currency");
        if (currency == null
                || !currency.isTextual()
                || !CURRENCY.matcher(currency.asText()).matches()) {
            throw new InvalidEventException(
                    "data", "data.metadata.currency must be a three-letter code such as EUR for revenue_generated");
        }
        return new Revenue(currency.asText(), amount.decimalValue());
    }

    private static <T> T read(EventRecord event, ObjectReader reader) {
        if (!event.dataIsObject()) {
            throw new InvalidEventException("data", "data must be an object for this event type");
        }
        try {
            return event.data(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException(
                    "data",
                    "data does not fit " + reader.getValueType().getRawClass().getSimpleName() + ": "
                            + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()),
                    e);
        }
    }

    private static JsonNode require(JsonNode data, String field) {
        if (data == null || !data.hasNonNull(field)) {
            throw new InvalidEventException("data", "data." + field + " is required for this event type");
        }
        return data.get(field);
    }

    private static void requireValue(Object value, String field) {
        if (value == null) {
            throw new InvalidEventException("data", field + " is required for this event type");
        }
    }

    private static UUID uuid(JsonNode node, String field) {
        return uuid(node.asText(), field);
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("data", field + " must be a UUID", e);
        }
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("data", field + " must be an RFC 3339 time", e);
        }
    }
}
