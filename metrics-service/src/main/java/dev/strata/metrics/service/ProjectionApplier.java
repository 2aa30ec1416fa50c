package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.messaging.ProjectionEventDecoder;
import dev.strata.metrics.messaging.ProjectionEventDecoder.Decoded;
import dev.strata.metrics.store.Facts.Activity;
import dev.strata.metrics.store.Facts.ApiCalls;
import dev.strata.metrics.store.Facts.Archived;
import dev.strata.metrics.store.Facts.Fact;
import dev.strata.metrics.store.Facts.NewConnection;
import dev.strata.metrics.store.Facts.NewKnowledge;
import dev.strata.metrics.store.Facts.NewThing;
import dev.strata.metrics.store.Facts.Revenue;
import dev.strata.metrics.store.Facts.ThingChange;
import dev.strata.metrics.store.ProjectionTables;
import dev.strata.metrics.store.ProjectionWriter;
import dev.strata.metrics.store.ProjectionWriter.ActorTypeDelta;
import dev.strata.metrics.store.ProjectionWriter.ApiCallsDelta;
import dev.strata.metrics.store.ProjectionWriter.BytesDelta;
import dev.strata.metrics.store.ProjectionWriter.ConnectionCountDelta;
import dev.strata.metrics.store.ProjectionWriter.DayDelta;
import dev.strata.metrics.store.ProjectionWriter.GroupRevenueDelta;
import dev.strata.metrics.store.ProjectionWriter.GroupTotalsDelta;
import dev.strata.metrics.store.ProjectionWriter.MonthRevenueDelta;
import dev.strata.metrics.store.ProjectionWriter.Position;
import dev.strata.metrics.store.ProjectionWriter.ThingActivityDelta;
import dev.strata.metrics.store.ProjectionWriter.ThingConnectionDelta;
import dev.strata.metrics.store.ProjectionWriter.ThingRevenueDelta;
import dev.strata.metrics.store.ProjectionWriter.ThingTypeDelta;
import dev.strata.model.events.InvalidEventException;
import dev.strata.support.messaging.ConsumerLog;
import dev.strata.support.messaging.ConsumerLog.Rejected;
import dev.strata.support.messaging.StreamRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a batch of stream records to a set of projection tables exactly once: in ONE transaction it records
 * the batch's event ids ({@code ON CONFLICT DO NOTHING}, reporting the ids recorded before) and applies only the
 * others, with every counter change summed per key in Java first, so each table gets one statement per batch.
 * The caller acknowledges the records only after this commits; a redelivered event finds its id recorded and
 * changes nothing.
 */
@ApplicationScoped
public class ProjectionApplier {

    private final Pool pool;
    private final ProjectionEventDecoder decoder;
    private final ProjectionWriter writer;
    private final ConsumerLog consumerLog;
    private final Clock clock;
    private final MetricsConfig config;

    public ProjectionApplier(
            Pool pool,
            ProjectionEventDecoder decoder,
            ProjectionWriter writer,
            ConsumerLog consumerLog,
            Clock clock,
            MetricsConfig config) {
        this.pool = pool;
        this.decoder = decoder;
        this.writer = writer;
        this.consumerLog = consumerLog;
        this.clock = clock;
        this.config = config;
    }

    /** What one batch did: records read, events applied for the first time, records set aside as unreadable. */
    public record Outcome(int read, int applied, int rejected) {}

    /** A batch as read: its events (each id once, first occurrence first) and the records that are no event. */
    public record Batch(int read, List<Decoded> events, List<Rejected> rejected) {}

    /** Reads the records (CPU work: the caller runs it off the event loop). */
    public Batch decode(List<StreamRecord> records) {
        List<Decoded> decoded = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        Set<String> seen = new HashSet<>(records.size() * 2);
        for (StreamRecord record : records) {
            try {
                Decoded event = decoder.decode(record);
                if (seen.add(event.event().id())) { // the same event twice in one batch: the first one counts
                    decoded.add(event);
                }
            } catch (InvalidEventException e) {
                rejected.add(new Rejected(
                        record,
                        null,
                        e.attribute() != null && e.attribute().startsWith("data") ? "contract" : "unreadable",
                        e.getMessage()));
            }
        }
        return new Batch(records.size(), decoded, rejected);
    }

    /** A rebuild's replay: reads and applies in one transaction of its own, keeping unreadable records aside. */
    public Uni<Outcome> apply(ProjectionTables tables, List<StreamRecord> records) {
        Batch batch = decode(records);
        return pool.withTransaction(
                tx -> consumerLog.recordRejected(tx, batch.rejected()).chain(() -> apply(tx, tables, batch)));
    }

    /**
     * Applies a batch in the caller's transaction: records its event ids and applies only the events whose ids
     * were not recorded before. Statements that do not wait for an earlier answer go out together (pipelined on
     * the transaction's connection); PostgreSQL still runs them in the order sent.
     */
    public Uni<Outcome> apply(SqlClient tx, ProjectionTables tables, Batch batch) {
        List<Decoded> decoded = batch.events();
        String[] ids = new String[decoded.size()];
        UUID[] groups = new UUID[decoded.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = decoded.get(i).event().id();
            groups[i] = decoded.get(i).groupId();
        }
        return Uni.combine()
                .all()
                .unis(
                        tables.live()
                                ? writer.holdSwapLockShared(tx)
                                : Uni.createFrom().voidItem(),
                        consumerLog.markApplied(tx, tables.appliedEvents(), ids, groups))
                .asTuple()
                .chain(sent -> {
                    Set<String> seenBefore = sent.getItem2();
                    List<Decoded> toApply = seenBefore.isEmpty()
                            ? decoded
                            : decoded.stream()
                                    .filter(d -> !seenBefore.contains(d.event().id()))
                                    .toList();
                    return applyFresh(tx, tables, toApply).replaceWith(toApply.size());
                })
                .map(applied ->
                        new Outcome(batch.read(), applied, batch.rejected().size()));
    }

    private Uni<Void> applyFresh(SqlClient tx, ProjectionTables t, List<Decoded> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant windowStart = clock.instant().minus(config.recentWindow());
        List<NewThing> things = new ArrayList<>();
        Map<List<UUID>, ThingChange> changes = new LinkedHashMap<>();
        List<NewConnection> connections = new ArrayList<>();
        List<NewKnowledge> knowledge = new ArrayList<>();
        List<Activity> recent = new ArrayList<>();
        List<Archived> archived = new ArrayList<>();
        Map<UUID, Position> positions = new LinkedHashMap<>();
        Rollups rollups = new Rollups();
        for (Decoded event : events) {
            for (Fact fact : event.facts()) {
                if (fact instanceof NewThing thing) {
                    things.add(thing);
                } else if (fact instanceof ThingChange change) {
                    changes.merge(List.of(change.groupId(), change.id()), change, ThingChange::then);
                } else if (fact instanceof NewConnection connection) {
                    connections.add(connection);
                } else if (fact instanceof NewKnowledge item) {
                    knowledge.add(item);
                } else if (fact instanceof Activity activity) {
                    rollups.activity(activity);
                    if (!activity.occurredAt().isBefore(windowStart)) {
                        recent.add(activity);
                    }
                } else if (fact instanceof ApiCalls calls) {
                    rollups.apiCalls(calls);
                } else if (fact instanceof Archived archive) {
                    archived.add(archive);
                }
            }
            // Within a batch a group's events keep their stream order (one key, one partition): the last one wins.
            positions.put(
                    event.groupId(),
                    new Position(
                            event.groupId(), event.event().id(), event.event().type(), event.publishedAt()));
        }
        // Inserts first: they report what was really new, and the rollups count only that. An update of a thing
        // the batch also creates comes after its insert, as in the stream.
        return Uni.combine()
                .all()
                .unis(
                        writer.insertThings(tx, t, things),
                        writer.updateThings(tx, t, changes.values()),
                        writer.insertConnections(tx, t, connections),
                        writer.insertKnowledge(tx, t, knowledge))
                .asTuple()
                .invoke(inserted -> {
                    rollups.things(inserted.getItem1());
                    rollups.propertyBytes(inserted.getItem2());
                    rollups.connections(inserted.getItem3());
                    rollups.knowledge(inserted.getItem4());
                })
                .chain(() -> Uni.combine()
                        .all()
                        .unis(
                                writer.addThingConnections(tx, t, rollups.thingConnections.values()),
                                writer.addConnectionCounts(tx, t, rollups.connectionCounts()),
                                writer.addGroupTotals(tx, t, rollups.groupTotals()),
                                writer.addThingTypes(tx, t, rollups.thingTypes.values()),
                                writer.addDaily(tx, t, rollups.daily.values()),
                                writer.addThingActivity(tx, t, rollups.thingActivity.values()),
                                writer.addActorEventTypes(tx, t, rollups.actorTypes.values()),
                                writer.addGroupRevenue(tx, t, rollups.groupRevenue.values()),
                                writer.addMonthlyRevenue(tx, t, rollups.monthRevenue.values()),
                                writer.addThingRevenue(tx, t, rollups.thingRevenue.values()),
                                writer.insertRecentEvents(tx, t, recent),
                                writer.removeArchived(tx, t, archived),
                                writer.addApiCalls(tx, t, rollups.apiCalls.values()),
                                writer.movePositions(tx, t, positions.values()))
                        .discardItems());
    }

    /**
     * The batch's counter changes, summed per row key. Sums of what a client sent (bytes, api calls) are checked
     * (addExact): an overflow fails the batch instead of wrapping, as the database's bigint sums do.
     */
    private static final class Rollups {

        final Map<UUID, long[]> totals = new LinkedHashMap<>();
        final Map<UUID, Instant> lastEvent = new LinkedHashMap<>();
        final Map<List<Object>, ThingTypeDelta> thingTypes = new LinkedHashMap<>();
        final Map<List<Object>, DayDelta> daily = new LinkedHashMap<>();
        final Map<List<UUID>, ThingActivityDelta> thingActivity = new LinkedHashMap<>();
        final Map<List<Object>, ActorTypeDelta> actorTypes = new LinkedHashMap<>();
        final Map<List<Object>, ThingConnectionDelta> thingConnections = new LinkedHashMap<>();
        final Map<List<UUID>, Long> connectionCounts = new LinkedHashMap<>();
        final Map<List<Object>, ApiCallsDelta> apiCalls = new LinkedHashMap<>();
        final Map<List<Object>, GroupRevenueDelta> groupRevenue = new LinkedHashMap<>();
        final Map<List<Object>, MonthRevenueDelta> monthRevenue = new LinkedHashMap<>();
        final Map<List<Object>, ThingRevenueDelta> thingRevenue = new LinkedHashMap<>();

        private static final int THINGS = 0;
        private static final int CONNECTIONS = 1;
        private static final int KNOWLEDGE = 2;
        private static final int PROPERTIES_BYTES = 3;
        private static final int KNOWLEDGE_BYTES = 4;
        private static final int EVENTS = 5;

        private long[] totals(UUID group) {
            return totals.computeIfAbsent(group, g -> new long[6]);
        }

        void things(List<NewThing> inserted) {
            for (NewThing thing : inserted) {
                long[] sums = totals(thing.groupId());
                sums[THINGS]++;
                sums[PROPERTIES_BYTES] = Math.addExact(sums[PROPERTIES_BYTES], thing.propertiesBytes());
                thingType(thing.groupId(), thing.type(), 1, 0);
            }
        }

        void propertyBytes(List<BytesDelta> deltas) {
            for (BytesDelta delta : deltas) {
                long[] sums = totals(delta.groupId());
                sums[PROPERTIES_BYTES] = Math.addExact(sums[PROPERTIES_BYTES], delta.bytes());
            }
        }

        void connections(List<NewConnection> inserted) {
            for (NewConnection c : inserted) {
                totals(c.groupId())[CONNECTIONS]++;
                thingType(c.groupId(), c.fromType(), 0, 1);
                thingType(c.groupId(), c.toType(), 0, 1);
                thingConnection(c.groupId(), c.fromId(), "outbound", c.relationshipType());
                thingConnection(c.groupId(), c.toId(), "inbound", c.relationshipType());
                connectionCounts.merge(List.of(c.groupId(), c.fromId()), 1L, Long::sum);
                connectionCounts.merge(List.of(c.groupId(), c.toId()), 1L, Long::sum);
            }
        }

        void knowledge(List<NewKnowledge> inserted) {
            for (NewKnowledge k : inserted) {
                long[] sums = totals(k.groupId());
                sums[KNOWLEDGE]++;
                sums[KNOWLEDGE_BYTES] = Math.addExact(sums[KNOWLEDGE_BYTES], k.storageBytes());
            }
        }

        void activity(Activity a) {
            UUID group = a.groupId();
            totals(group)[EVENTS]++;
            lastEvent.merge(group, a.occurredAt(), Rollups::later);
            LocalDate day = LocalDate.ofInstant(a.occurredAt(), ZoneOffset.UTC);
            daily.merge(
                    List.of(group, day, a.type()),
                    new DayDelta(group, day, a.type(), 1),
                    (x, y) -> new DayDelta(group, day, a.type(), x.events() + 1));
            if (a.revenue() != null) {
                revenue(a, day.withDayOfMonth(1), a.revenue());
            }
            if (a.actorId() != null) {
                thingActivity(group, a.actorId(), 1, a.occurredAt());
                actorTypes.merge(
                        List.of(group, a.actorId(), a.type()),
                        new ActorTypeDelta(group, a.actorId(), a.type(), 1),
                        (x, y) -> new ActorTypeDelta(group, a.actorId(), a.type(), x.events() + 1));
            }
            if (a.targetId() != null && !a.targetId().equals(a.actorId())) {
                thingActivity(group, a.targetId(), 0, null);
            }
        }

        /** Sums per currency only: amounts of different currencies are never added. */
        private void revenue(Activity a, LocalDate month, Revenue money) {
            UUID group = a.groupId();
            String currency = money.currency();
            BigDecimal amount = money.amount();
            groupRevenue.merge(
                    List.of(group, currency),
                    new GroupRevenueDelta(group, currency, amount),
                    (x, y) -> new GroupRevenueDelta(group, currency, x.revenue().add(amount)));
            monthRevenue.merge(
                    List.of(group, month, currency),
                    new MonthRevenueDelta(group, month, currency, amount),
                    (x, y) -> new MonthRevenueDelta(
                            group, month, currency, x.revenue().add(amount)));
            if (a.actorId() != null) {
                thingRevenue.merge(
                        List.of(group, a.actorId(), currency),
                        new ThingRevenueDelta(group, a.actorId(), currency, amount),
                        (x, y) -> new ThingRevenueDelta(
                                group, a.actorId(), currency, x.revenue().add(amount)));
            }
        }

        void apiCalls(ApiCalls calls) {
            LocalDate month = LocalDate.ofInstant(calls.at(), ZoneOffset.UTC).withDayOfMonth(1);
            apiCalls.merge(
                    List.of(calls.groupId(), month),
                    new ApiCallsDelta(calls.groupId(), month, calls.calls()),
                    (x, y) -> new ApiCallsDelta(calls.groupId(), month, Math.addExact(x.calls(), y.calls())));
        }

        List<GroupTotalsDelta> groupTotals() {
            List<GroupTotalsDelta> deltas = new ArrayList<>(totals.size());
            totals.forEach((group, sums) -> deltas.add(new GroupTotalsDelta(
                    group,
                    sums[THINGS],
                    sums[CONNECTIONS],
                    sums[KNOWLEDGE],
                    sums[PROPERTIES_BYTES],
                    sums[KNOWLEDGE_BYTES],
                    sums[EVENTS],
                    lastEvent.get(group))));
            return deltas;
        }

        List<ConnectionCountDelta> connectionCounts() {
            List<ConnectionCountDelta> deltas = new ArrayList<>(connectionCounts.size());
            connectionCounts.forEach((key, n) -> deltas.add(new ConnectionCountDelta(key.get(0), key.get(1), n)));
            return deltas;
        }

        private void thingType(UUID group, String type, long things, long ends) {
            thingTypes.merge(
                    List.of(group, type),
                    new ThingTypeDelta(group, type, things, ends),
                    (x, y) -> new ThingTypeDelta(group, type, x.things() + things, x.connectionEnds() + ends));
        }

        private void thingConnection(UUID group, UUID thing, String direction, String type) {
            thingConnections.merge(
                    List.of(group, thing, direction, type),
                    new ThingConnectionDelta(group, thing, direction, type, 1),
                    (x, y) -> new ThingConnectionDelta(group, thing, direction, type, x.connections() + 1));
        }

        private void thingActivity(UUID group, UUID thing, long asActor, Instant active) {
            thingActivity.merge(
                    List.of(group, thing),
                    new ThingActivityDelta(group, thing, asActor, 1, active),
                    (x, y) -> new ThingActivityDelta(
                            group, thing, x.asActor() + asActor, x.involving() + 1, later(x.lastActiveAt(), active)));
        }

        private static Instant later(Instant a, Instant b) {
            if (a == null) {
                return b;
            }
            return b == null || a.isAfter(b) ? a : b;
        }
    }
}
