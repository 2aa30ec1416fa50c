package dev.strata.metrics.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import dev.strata.model.events.payload.ActivityRecorded;
import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.EventsArchived;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.support.messaging.StreamRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** An ISO 4217 code, as ingest requires it. */
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** Entries ingest writes to its own log (no actor; the thing, if any, is the target). */
    private static final Set<String> LOG_ENTRIES =
            Set.of(EventType.BATCH_IMPORT, EventType.THING_UPDATED, EventType.THING_DELETED);

    /** The payload record of each type that has a fact of its own (see {@link #decode}). */
    private static final Map<String, Class<?>> PAYLOADS = Map.of(
            EventType.THING_CREATED, ThingCreated.class,
            EventType.CONNECTION_CREATED, ConnectionCreated.class,
            EventType.KNOWLEDGE_CREATED, KnowledgeCreated.class,
            EventType.API_CALL, ApiCallCounted.class,
            EventType.EVENTS_ARCHIVED, EventsArchived.class,
            EventType.THING_UPDATED, ThingUpdated.class);

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
        // The attributes are parsed and the data bound into the record its type needs, in one pass.
        EventRecord event = EventEnvelopeCodec.read(record.value(), this::payloadOf);
        UUID group = event.groupUuid();
        List<Fact> facts = new ArrayList<>(2);
        switch (event.type()) {
            case EventType.THING_CREATED -> facts.add(newThing(group, event, event.payload(ThingCreated.class)));
            case EventType.CONNECTION_CREATED ->
                facts.add(newConnection(group, event, event.payload(ConnectionCreated.class)));
            case EventType.KNOWLEDGE_CREATED ->
                facts.add(newKnowledge(group, event, event.payload(KnowledgeCreated.class)));
            case EventType.API_CALL ->
                facts.add(new ApiCalls(
                        group, event.time(), event.payload(ApiCallCounted.class).calls()));
            case EventType.EVENTS_ARCHIVED -> facts.add(archived(group, event.payload(EventsArchived.class)));
            case EventType.THING_UPDATED -> facts.add(thingChange(group, event, event.payload(ThingUpdated.class)));
            default -> {
                // other system facts (group_created, ...) only move the group's position
            }
        }
        if (!nonActivityTypes.contains(event.type())) {
            facts.add(activity(group, event));
        }
        return new Decoded(event, group, record.publishedAt(), facts);
    }

    /** The payload record {@link #decode} binds for an event type: its fact's, else its activity's, else none. */
    private Class<?> payloadOf(String type) {
        Class<?> fixed = PAYLOADS.get(type);
        if (fixed != null) {
            return fixed;
        }
        return nonActivityTypes.contains(type) || LOG_ENTRIES.contains(type) ? null : ActivityRecorded.class;
    }

    private static NewThing newThing(UUID group, EventRecord event, ThingCreated t) {
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

    private static ThingChange thingChange(UUID group, EventRecord event, ThingUpdated update) {
        Map<String, ThingUpdated.Change> changes = update.changes() == null ? Map.of() : update.changes();
        String name = changedTo(changes, "name") instanceof String text ? text : null;
        String status = changedTo(changes, "status") instanceof String text ? text : null;
        String propertiesJson =
                changedTo(changes, "properties") instanceof Map<?, ?> properties ? json(properties) : null;
        Integer propertiesBytes = propertiesJson == null
                ? null
                : update.propertiesBytes() > 0 // an object's JSON is never empty, so 0 means not given
                        ? update.propertiesBytes()
                        : propertiesJson.getBytes(StandardCharsets.UTF_8).length;
        Instant updatedAt = update.updatedAt() == null ? event.time() : update.updatedAt();
        return new ThingChange(group, update.id(), name, propertiesJson, propertiesBytes, status, updatedAt);
    }

    private static Object changedTo(Map<String, ThingUpdated.Change> changes, String field) {
        ThingUpdated.Change change = changes.get(field);
        return change == null ? null : change.to();
    }

    private static String json(Map<?, ?> properties) {
        try {
            return EventEnvelopeCodec.mapper().writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("data", "data.changes.properties.to cannot be written back as JSON", e);
        }
    }

    private static Archived archived(UUID group, EventsArchived archived) {
        List<String> types = archived.countsByType() == null
                ? List.of()
                : List.copyOf(archived.countsByType().keySet());
        // The envelope's group, never the payload's: an event can only ever touch its own group.
        return new Archived(group, archived.minTime(), archived.maxTime(), types);
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
                event.hasData() ? event.payload(ActivityRecorded.class) : new ActivityRecorded(null, null, null, null);
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

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("data", field + " must be a UUID", e);
        }
    }
}
