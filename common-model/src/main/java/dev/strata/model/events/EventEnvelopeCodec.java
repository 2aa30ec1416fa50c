package dev.strata.model.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.strata.model.time.Rfc3339Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads and writes {@link EventEnvelope}s as CloudEvents JSON, the same way in every service.
 *
 * <p>Producers and consumers share this one configuration so an event written by one service always reads back
 * in another: times as RFC 3339 strings (never epoch numbers), trailing garbage rejected. Reading and writing go
 * through an {@link ObjectReader} and {@link ObjectWriter} fixed at class load, which are immutable and
 * thread-safe, so nobody reconfiguring {@link #mapper()} can change the wire format.
 */
public final class EventEnvelopeCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Rfc3339Module()) // the same text for instants, written and read without a formatter
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectReader READER = MAPPER.readerFor(EventEnvelope.class);
    private static final ObjectWriter WRITER = MAPPER.writerFor(EventEnvelope.class);
    private static final ObjectWriter OUTGOING = MAPPER.writerFor(Outgoing.class);

    /**
     * The envelope as producers write it, with {@code data} still a plain object: serializing it directly saves
     * building a JSON tree per event, which matters at 10,000 events a batch. Same attribute names and order as
     * {@link EventEnvelope}; a test keeps the two identical on the wire.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "groupid",
            "schemaversion", "data"})
    private record Outgoing(String specversion, String id, String source, String type, Instant time,
                            String subject, String datacontenttype, String groupid, int schemaversion, Object data) {
    }

    private EventEnvelopeCodec() {
    }

    /**
     * The shared mapper with the event settings, for services that build {@code data} payloads or want the
     * same date handling. It is thread-safe for use; do not reconfigure it ({@code copy()} it instead).
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(EventEnvelope envelope) {
        try {
            return WRITER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + envelope.id(), e);
        }
    }

    public static String toJson(EventEnvelope envelope) {
        try {
            return WRITER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + envelope.id(), e);
        }
    }

    /**
     * Writes an event straight from its payload object, without building an {@link EventEnvelope} first. The
     * result reads back with {@link #fromJson(String)} as the envelope {@link EventEnvelope#of} would build.
     */
    public static String toJson(String id, String source, String type, Instant time, String subject, UUID groupId,
                                Object data) {
        EventEnvelope.of(id, source, type, time, subject, groupId, null); // same validation as the envelope
        try {
            return OUTGOING.writeValueAsString(new Outgoing(EventEnvelope.SPEC_VERSION, id, source, type, time,
                    subject, EventEnvelope.JSON, groupId.toString(), EventEnvelope.SCHEMA_VERSION, data));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize event " + id, e);
        }
    }

    /**
     * Parses and validates one event (UTF-8 JSON).
     *
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventEnvelope fromBytes(byte[] json) {
        if (json == null) {
            throw new InvalidEventException(null, "event is missing: no bytes");
        }
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * Parses and validates one event.
     *
     * @throws InvalidEventException if the input is not JSON, not an object, or breaks the envelope contract
     */
    public static EventEnvelope fromJson(String json) {
        if (json == null) {
            throw new InvalidEventException(null, "event is missing: no text");
        }
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    private static InvalidEventException invalid(IOException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidEventException invalid) {
            return invalid;
        }
        String attribute = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            attribute = mapping.getPath().get(0).getFieldName();
        }
        String detail = e instanceof JsonProcessingException processing
                ? processing.getOriginalMessage()
                : e.getMessage();
        String message = attribute == null
                ? "malformed event: " + detail
                : "malformed event attribute " + attribute + ": " + detail;
        return new InvalidEventException(attribute, message, e);
    }
}
