package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.ids.UuidV7;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** Wraps ingest's facts in the CloudEvents envelope, with ingest-service as their source. */
@ApplicationScoped
public class EventFactory {

    public static final String SOURCE = "/strata/ingest-service";

    private final ObjectMapper mapper = EventEnvelopeCodec.mapper();

    public EventEnvelope create(String type, UUID groupId, Instant time, UUID subject, Object data) {
        return create(UuidV7.next(), type, groupId, time, subject, data);
    }

    public EventEnvelope create(UUID eventId, String type, UUID groupId, Instant time, UUID subject, Object data) {
        JsonNode payload = data instanceof JsonNode node ? node : mapper.valueToTree(data);
        return EventEnvelope.of(eventId.toString(), SOURCE, type, time, subject == null ? null : subject.toString(),
                groupId, payload);
    }
}
