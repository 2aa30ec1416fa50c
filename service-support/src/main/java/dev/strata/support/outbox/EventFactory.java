package dev.strata.support.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.ids.UuidV7;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wraps a service's facts in the CloudEvents envelope, with {@code /strata/<application name>} as source. */
@ApplicationScoped
public class EventFactory {

    private static final String SIZED_ID = new UUID(0, 0).toString();

    private final ObjectMapper mapper = EventEnvelopeCodec.mapper();
    private final String source;

    public EventFactory(@ConfigProperty(name = "quarkus.application.name") String application) {
        this.source = "/strata/" + application;
    }

    public String source() {
        return source;
    }

    /** The event as outbox JSON, written straight from {@code data} (no intermediate JSON tree). */
    public OutboxEvent event(String type, UUID groupId, Instant time, UUID subject, Object data) {
        return event(UuidV7.next(), type, groupId, time, subject, data);
    }

    public OutboxEvent event(UUID eventId, String type, UUID groupId, Instant time, UUID subject, Object data) {
        return new OutboxEvent(
                eventId,
                EventEnvelopeCodec.toJson(
                        eventId.toString(),
                        source,
                        type,
                        time,
                        subject == null ? null : subject.toString(),
                        groupId,
                        data));
    }

    /**
     * The size in bytes (UTF-8) the event would have in the outbox and on the topic, counted without writing it
     * out; its id, which every event has as a UUID, counts 36 characters.
     */
    public long size(String type, UUID groupId, Instant time, UUID subject, Object data) {
        return EventEnvelopeCodec.utf8Size(
                SIZED_ID, source, type, time, subject == null ? null : subject.toString(), groupId, data);
    }

    /** A payload as JSON with the event settings, e.g. for an activity-log row that mirrors an event. */
    public String json(Object data) {
        try {
            return mapper.writeValueAsString(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + data.getClass().getSimpleName(), e);
        }
    }

    public EventEnvelope create(String type, UUID groupId, Instant time, UUID subject, Object data) {
        return create(UuidV7.next(), type, groupId, time, subject, data);
    }

    public EventEnvelope create(UUID eventId, String type, UUID groupId, Instant time, UUID subject, Object data) {
        JsonNode payload = data instanceof JsonNode node ? node : mapper.valueToTree(data);
        return EventEnvelope.of(
                eventId.toString(), source, type, time, subject == null ? null : subject.toString(), groupId, payload);
    }
}
