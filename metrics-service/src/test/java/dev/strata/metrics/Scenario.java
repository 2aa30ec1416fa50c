package dev.strata.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ActivityRecorded;
import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.EventsArchived;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.model.ids.UuidV7;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A group's history written as ingest-service (and archival-service) would publish it: the same payload records,
 * the same envelopes, one {@code batch_import} per batch. Alongside the envelopes it keeps the facts in plain
 * form, including the entries ingest's own events table would hold, so tests can work out every expected figure
 * without the code under test.
 */
final class Scenario {

    static final String INGEST = "/strata/ingest-service";
    static final String ARCHIVAL = "/strata/archival-service";
    static final ObjectMapper JSON = EventEnvelopeCodec.mapper();

    record Thing(
            String key,
            UUID id,
            String type,
            String name,
            String status,
            ObjectNode properties,
            int propertiesBytes,
            Instant createdAt,
            Instant updatedAt) {}

    record Connection(
            UUID id,
            UUID from,
            String fromType,
            UUID to,
            String toType,
            String type,
            ObjectNode metadata,
            Double strength,
            Instant createdAt) {}

    record Knowledge(
            UUID id, UUID source, String kind, String text, int textBytes, int dimensions, Instant createdAt) {}

    /** An entry of ingest's events table: what counts as an activity event. */
    record LogEntry(
            String id,
            String type,
            UUID actor,
            UUID target,
            Instant time,
            JsonNode metadata,
            Instant recordedAt,
            BigDecimal amount) {}

    record ApiCall(long count, Instant at) {}

    /** A client event to log in an events batch. */
    record Activity(String type, String actor, String target, Instant at, ObjectNode metadata) {}

    record NewConnection(String from, String type, String to, ObjectNode metadata, Double strength) {}

    final UUID group = UUID.randomUUID();
    final List<EventEnvelope> envelopes = new ArrayList<>();
    final Map<String, Thing> things = new LinkedHashMap<>();
    final List<Connection> connections = new ArrayList<>();
    final List<Knowledge> knowledge = new ArrayList<>();
    final List<LogEntry> log = new ArrayList<>();
    final List<ApiCall> apiCalls = new ArrayList<>();

    UUID id(String key) {
        Thing thing = things.get(key);
        if (thing == null) {
            throw new IllegalArgumentException("no thing " + key);
        }
        return thing.id();
    }

    Thing thing(String key) {
        return things.get(key);
    }

    Thing thingById(UUID id) {
        return things.values().stream()
                .filter(t -> t.id().equals(id))
                .findFirst()
                .orElse(null);
    }

    String lastEventId() {
        return envelopes.get(envelopes.size() - 1).id();
    }

    Scenario groupCreated(Instant at) {
        envelopes.add(EventEnvelope.of(
                UuidV7.next().toString(),
                INGEST,
                EventType.GROUP_CREATED,
                at,
                group.toString(),
                group,
                JSON.valueToTree(new GroupChanged(group, "group " + group, "pro", null, at))));
        return this;
    }

    /** A marker that changes nothing but the group's position. */
    String planChanged(Instant at) {
        EventEnvelope event = EventEnvelope.of(
                UuidV7.next().toString(),
                INGEST,
                EventType.GROUP_PLAN_CHANGED,
                at,
                group.toString(),
                group,
                JSON.valueToTree(new GroupChanged(group, "group " + group, "enterprise", "pro", at)));
        envelopes.add(event);
        return event.id();
    }

    /** One things:batch; {@code specs} are triples: key, type, name (properties via {@link #props}). */
    Scenario things(Instant at, Object... specs) {
        UUID batch = UuidV7.next();
        int count = 0;
        for (int i = 0; i < specs.length; i += 4) {
            String key = (String) specs[i];
            String type = (String) specs[i + 1];
            String name = (String) specs[i + 2];
            ObjectNode properties = (ObjectNode) specs[i + 3];
            UUID id = UuidV7.next();
            int bytes = bytes(properties.toString());
            String status = "active";
            things.put(key, new Thing(key, id, type, name, status, properties, bytes, at, at));
            envelopes.add(EventEnvelope.of(
                    UuidV7.next().toString(),
                    INGEST,
                    EventType.THING_CREATED,
                    at,
                    id.toString(),
                    group,
                    JSON.valueToTree(new ThingCreated(id, type, name, status, properties, bytes, at, batch))));
            count++;
        }
        batchImport(at, batch, "things", count);
        return this;
    }

    Scenario connections(Instant at, NewConnection... specs) {
        UUID batch = UuidV7.next();
        for (NewConnection spec : specs) {
            Thing from = things.get(spec.from());
            Thing to = things.get(spec.to());
            UUID id = UuidV7.next();
            connections.add(new Connection(
                    id, from.id(), from.type(), to.id(), to.type(), spec.type(), spec.metadata(), spec.strength(), at));
            envelopes.add(EventEnvelope.of(
                    UuidV7.next().toString(),
                    INGEST,
                    EventType.CONNECTION_CREATED,
                    at,
                    id.toString(),
                    group,
                    JSON.valueToTree(new ConnectionCreated(
                            id,
                            from.id(),
                            from.type(),
                            to.id(),
                            to.type(),
                            spec.type(),
                            spec.metadata(),
                            spec.strength(),
                            null,
                            null,
                            at,
                            batch))));
        }
        batchImport(at, batch, "connections", specs.length);
        return this;
    }

    static NewConnection link(String from, String type, String to) {
        return new NewConnection(from, type, to, JSON.createObjectNode(), null);
    }

    /** {@code specs}: source key, kind, text, embedding dimensions. */
    Scenario knowledge(Instant at, Object... specs) {
        UUID batch = UuidV7.next();
        int count = 0;
        for (int i = 0; i < specs.length; i += 4) {
            Thing source = things.get((String) specs[i]);
            String kind = (String) specs[i + 1];
            String text = (String) specs[i + 2];
            int dimensions = (Integer) specs[i + 3];
            UUID id = UuidV7.next();
            knowledge.add(new Knowledge(id, source.id(), kind, text, bytes(text), dimensions, at));
            envelopes.add(EventEnvelope.of(
                    UuidV7.next().toString(),
                    INGEST,
                    EventType.KNOWLEDGE_CREATED,
                    at,
                    id.toString(),
                    group,
                    JSON.valueToTree(
                            new KnowledgeCreated(id, source.id(), kind, text, bytes(text), dimensions, at, batch))));
            count++;
        }
        batchImport(at, batch, "knowledge", count);
        return this;
    }

    /** A PATCH things:batch of one thing; null fields stay as they are. */
    Scenario update(Instant at, String key, String name, ObjectNode properties, String status) {
        Thing before = things.get(key);
        UUID batch = UuidV7.next();
        Map<String, ThingUpdated.Change> changes = new LinkedHashMap<>();
        if (name != null) {
            changes.put("name", new ThingUpdated.Change(before.name(), name));
        }
        if (properties != null) {
            changes.put("properties", new ThingUpdated.Change(before.properties(), properties));
        }
        if (status != null) {
            changes.put("status", new ThingUpdated.Change(before.status(), status));
        }
        ObjectNode newProperties = properties == null ? before.properties() : properties;
        int bytes = bytes(newProperties.toString());
        Thing after = new Thing(
                key,
                before.id(),
                before.type(),
                name == null ? before.name() : name,
                status == null ? before.status() : status,
                newProperties,
                bytes,
                before.createdAt(),
                at);
        things.put(key, after);
        EventEnvelope event = EventEnvelope.of(
                UuidV7.next().toString(),
                INGEST,
                EventType.THING_UPDATED,
                at,
                before.id().toString(),
                group,
                JSON.valueToTree(new ThingUpdated(
                        before.id(), before.type(), changes, bytes, before.propertiesBytes(), at, batch)));
        envelopes.add(event);
        log.add(new LogEntry(event.id(), EventType.THING_UPDATED, null, before.id(), at, event.data(), at, null));
        batchImport(at, batch, "thing_updates", 1);
        return this;
    }

    /** An events:batch sent at {@code at}; each event carries its own (possibly back-filled) time. */
    Scenario events(Instant at, Activity... activities) {
        for (Activity a : activities) {
            UUID actor = id(a.actor());
            UUID target = a.target() == null ? null : id(a.target());
            ObjectNode metadata = a.metadata() == null ? JSON.createObjectNode() : a.metadata();
            UUID id = UuidV7.next();
            envelopes.add(EventEnvelope.of(
                    id.toString(),
                    INGEST,
                    a.type(),
                    a.at(),
                    actor.toString(),
                    group,
                    JSON.valueToTree(new ActivityRecorded(actor, target, metadata, at))));
            BigDecimal amount = EventType.REVENUE_GENERATED.equals(a.type())
                    ? new BigDecimal(metadata.get("amount").asText())
                    : null;
            log.add(new LogEntry(id.toString(), a.type(), actor, target, a.at(), metadata, at, amount));
        }
        batchImport(at, UuidV7.next(), "events", activities.length);
        return this;
    }

    static Activity revenue(String actor, String target, Instant at, String amount, String currency) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("amount", JSON.getNodeFactory().numberNode(new BigDecimal(amount)));
        metadata.put("currency", currency);
        return new Activity(EventType.REVENUE_GENERATED, actor, target, at, metadata);
    }

    static Activity content(String actor, String action, String target, Instant at) {
        return new Activity(
                EventType.CONTENT_EVENT,
                actor,
                target,
                at,
                JSON.createObjectNode().put("action", action));
    }

    static Activity login(String actor, Instant at) {
        return new Activity(EventType.USER_LOGIN, actor, null, at, null);
    }

    /** An api_call event as service-support's meter writes it: the window's count, at the window's end. */
    Scenario apiCalls(long count, Instant windowEnd) {
        apiCalls.add(new ApiCall(count, windowEnd));
        JsonNode data = JSON.valueToTree(
                ApiCallCounted.window(count, "/strata/ingest-service", windowEnd.minusSeconds(5), windowEnd));
        envelopes.add(
                EventEnvelope.of(UuidV7.next().toString(), INGEST, EventType.API_CALL, windowEnd, null, group, data));
        return this;
    }

    /** What archival-service publishes after moving these log entries to the archive. */
    String archived(List<LogEntry> entries, Instant at) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (LogEntry e : entries) {
            counts.merge(e.type(), 1L, Long::sum);
        }
        Instant min =
                entries.stream().map(LogEntry::time).min(Instant::compareTo).orElseThrow();
        Instant max =
                entries.stream().map(LogEntry::time).max(Instant::compareTo).orElseThrow();
        JsonNode data = JSON.valueToTree(new EventsArchived(
                group,
                entries.size(),
                counts,
                null,
                min,
                max,
                "events/group=" + group + "/date=" + min.toString().substring(0, 10) + "/part-1-0.ndjson.gz",
                null,
                null,
                null));
        EventEnvelope event =
                EventEnvelope.of(UuidV7.next().toString(), ARCHIVAL, EventType.EVENTS_ARCHIVED, at, null, group, data);
        envelopes.add(event);
        return event.id();
    }

    static ObjectNode props(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private void batchImport(Instant at, UUID batch, String kind, int count) {
        EventEnvelope event = EventEnvelope.of(
                UuidV7.next().toString(),
                INGEST,
                EventType.BATCH_IMPORT,
                at,
                batch.toString(),
                group,
                JSON.valueToTree(new BatchImported(batch, kind, count, count, 0, null)));
        envelopes.add(event);
        log.add(new LogEntry(event.id(), EventType.BATCH_IMPORT, null, null, at, event.data(), at, null));
    }
}
