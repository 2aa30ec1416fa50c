package dev.strata.quota.messaging;

import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.support.messaging.ConsumerLog.Rejected;
import dev.strata.support.messaging.StreamRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Kafka records into the events quota-service counts. Only the types that change a counter, a plan or a
 * reservation are kept; everything else on the stream is none of quota's business and is not even recorded as
 * applied. A record that is not a valid event, or whose payload breaks its type's contract, is rejected with a
 * reason (and kept by the caller), never dropped silently.
 */
public final class UsageEventDecoder {

    /** The event types that change quota state. */
    public static final Set<String> TYPES = Set.of(
            EventType.THING_CREATED,
            EventType.THING_UPDATED,
            EventType.CONNECTION_CREATED,
            EventType.KNOWLEDGE_CREATED,
            EventType.API_CALL,
            EventType.BATCH_IMPORT,
            EventType.GROUP_CREATED,
            EventType.GROUP_PLAN_CHANGED);

    /** Each type's payload record, whose required fields are what quota relies on. */
    private static final Map<String, Class<?>> PAYLOADS = Map.of(
            EventType.THING_CREATED, ThingCreated.class,
            EventType.THING_UPDATED, ThingUpdated.class,
            EventType.CONNECTION_CREATED, ConnectionCreated.class,
            EventType.KNOWLEDGE_CREATED, KnowledgeCreated.class,
            EventType.API_CALL, ApiCallCounted.class,
            EventType.BATCH_IMPORT, BatchImported.class,
            EventType.GROUP_CREATED, GroupChanged.class,
            EventType.GROUP_PLAN_CHANGED, GroupChanged.class);

    private UsageEventDecoder() {}

    /** An event quota-service acts on, with its payload read into the type's record. */
    public record UsageEvent(EventRecord event, Object payload) {
        public String id() {
            return event.id();
        }
    }

    public record Decoded(List<UsageEvent> events, List<Rejected> rejected, int ignored) {

        /** Distinct ids, first occurrence first; a record repeated inside one batch counts once. */
        public String[] ids() {
            Map<String, Boolean> seen = new LinkedHashMap<>();
            events.forEach(e -> seen.putIfAbsent(e.id(), Boolean.TRUE));
            return seen.keySet().toArray(String[]::new);
        }
    }

    public static Decoded decode(List<StreamRecord> records) {
        List<UsageEvent> events = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        int ignored = 0;
        for (StreamRecord record : records) {
            EventRecord event;
            try {
                event = EventEnvelopeCodec.read(record.value(), PAYLOADS::get); // data bound in the same pass
            } catch (InvalidEventException e) {
                rejected.add(new Rejected(record, null, "unreadable", e.getMessage()));
                continue;
            }
            if (!TYPES.contains(event.type())) {
                ignored++;
                continue;
            }
            try {
                events.add(new UsageEvent(event, payload(event)));
            } catch (InvalidEventException e) {
                rejected.add(new Rejected(record, event.id(), "contract", e.getMessage()));
            }
        }
        return new Decoded(events, rejected, ignored);
    }

    /** @throws InvalidEventException if the data lacks a required field or a field has the wrong type */
    private static Object payload(EventRecord event) {
        return event.payload(PAYLOADS.get(event.type())); // bound as the event was read, or from its bytes
    }
}
