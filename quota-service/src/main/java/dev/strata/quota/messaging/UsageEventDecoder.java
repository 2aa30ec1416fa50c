package dev.strata.quota.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.strata.model.events.ApiCallCount;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.support.messaging.ConsumerLog.Rejected;
import dev.strata.support.messaging.StreamRecord;
import java.io.IOException;
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

    private static final Map<String, ObjectReader> READERS = Map.of(
            EventType.THING_CREATED, reader(ThingCreated.class),
            EventType.THING_UPDATED, reader(ThingUpdated.class),
            EventType.CONNECTION_CREATED, reader(ConnectionCreated.class),
            EventType.KNOWLEDGE_CREATED, reader(KnowledgeCreated.class),
            EventType.BATCH_IMPORT, reader(BatchImported.class),
            EventType.GROUP_CREATED, reader(GroupChanged.class),
            EventType.GROUP_PLAN_CHANGED, reader(GroupChanged.class));

    private UsageEventDecoder() {}

    /** An event quota-service acts on, with its payload read into the type's record. */
    public record UsageEvent(EventRecord event, Object payload) {
        public String id() {
            return event.id();
        }
    }

    /** The calls an api_call stands for ({@link ApiCallCount}). */
    public record ApiCalls(long count) {}

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
                event = EventEnvelopeCodec.read(record.value()); // data stays bytes until its type is known
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
            } catch (IllegalArgumentException e) {
                rejected.add(new Rejected(record, event.id(), "contract", e.getMessage()));
            }
        }
        return new Decoded(events, rejected, ignored);
    }

    private static Object payload(EventRecord event) {
        if (event.type().equals(EventType.API_CALL)) {
            return new ApiCalls(ApiCallCount.of(event.data()));
        }
        if (!event.dataIsObject()) {
            throw new IllegalArgumentException(event.type() + " needs a data object");
        }
        Object payload;
        try {
            payload = event.data(READERS.get(event.type())); // bound from the bytes, no tree in between
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    event.type() + " data does not match its contract: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        String missing = null;
        if (payload instanceof ThingCreated thing && thing.type() == null) {
            missing = "type";
        } else if (payload instanceof GroupChanged group && group.plan() == null) {
            missing = "plan";
        } else if (payload instanceof BatchImported batch && batch.batchId() == null) {
            missing = "batchId";
        }
        if (missing != null) {
            throw new IllegalArgumentException(event.type() + " data lacks '" + missing + "'");
        }
        return payload;
    }

    private static ObjectReader reader(Class<?> type) {
        // Tolerant reader: a newer producer may add fields; what quota needs must be there.
        return EventEnvelopeCodec.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
