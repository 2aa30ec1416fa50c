package dev.strata.archival.store;

import dev.strata.archival.config.ArchivalConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * ingest-service's events table and its record of archived ids, the two tables of another service this one touches
 * (SPEC: through a role limited to them): it reads the events a run takes, deletes them once their object is
 * verified while recording their ids as archived, and inserts them back on restore, taking their ids off the
 * record. Every query pages by {@code (timestamp, id)}, which ingest's {@code events_group_time} index serves.
 */
@ApplicationScoped
public class EventStore {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
    private static final String COLUMNS =
            "id, group_id, type, actor_id, target_id, \"timestamp\", metadata::text, recorded_at";

    /**
     * An object's events: its ids, within its time range. The range bounds the scan of (group_id, timestamp, id)
     * to the object's own rows whatever the planner believes: with statistics taken when the table was almost
     * empty (as after a run, with autovacuum off), a plan on {@code group_id} and {@code id} alone filtered every
     * event of the group for each object. {@code IS TRUE} keeps the id test a (hashed) filter on those rows: as an
     * index condition after the range on {@code timestamp}, PostgreSQL 15 walks the range once per id (30 ms for
     * an object of 1,000 events instead of 2).
     */
    private static final String OBJECT_EVENTS =
            "group_id = $1 AND \"timestamp\" BETWEEN $2 AND $3 AND (id = ANY($4::uuid[])) IS TRUE";

    private final String table;
    private final String archivedIds;

    public EventStore(ArchivalConfig config) {
        this.table = tableName("strata.archival.events.table", config.events().table());
        this.archivedIds = tableName(
                "strata.archival.events.archived-ids-table", config.events().archivedIdsTable());
    }

    private static String tableName(String property, String configured) {
        if (!TABLE.matcher(configured).matches()) {
            throw new IllegalArgumentException(property + " must be [schema.]table, not " + configured);
        }
        return configured;
    }

    /**
     * Reclaims the space of the rows a run deleted, so the hot store's scans and indexes do not carry them until
     * autovacuum comes by (or forever, where it is off). SKIP_LOCKED: never waits for another vacuum.
     */
    public Uni<Void> vacuum(SqlClient client) {
        return client.query("VACUUM (SKIP_LOCKED) " + table).execute().replaceWithVoid();
    }

    /**
     * Groups that have at least one event before {@code before}: a loose index scan over {@code group_id}, so the
     * cost grows with the number of groups, not of events.
     */
    public Uni<List<UUID>> groupsWithEventsBefore(SqlClient client, Instant before) {
        return client.preparedQuery("""
                        WITH RECURSIVE g(id) AS (
                            (SELECT group_id FROM %1$s ORDER BY group_id LIMIT 1)
                            UNION ALL
                            SELECT (SELECT group_id FROM %1$s WHERE group_id > g.id ORDER BY group_id LIMIT 1)
                            FROM g WHERE g.id IS NOT NULL)
                        SELECT id FROM g
                        WHERE id IS NOT NULL
                          AND EXISTS (SELECT 1 FROM %1$s e WHERE e.group_id = g.id AND e."timestamp" < $1)""".formatted(table))
                .execute(Tuple.of(utc(before)))
                .map(rows -> {
                    List<UUID> groups = new ArrayList<>();
                    for (Row row : rows) {
                        groups.add(row.getUUID(0));
                    }
                    return groups;
                });
    }

    public Uni<Long> countBefore(SqlClient client, UUID groupId, Instant before) {
        return client.preparedQuery("SELECT count(*) FROM " + table + " WHERE group_id = $1 AND \"timestamp\" < $2")
                .execute(Tuple.of(groupId, utc(before)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Hot events older than their group's cut-off, over every group: {@code cutoffs} holds the groups whose
     * threshold differs from the default.
     */
    public Uni<Long> countEligible(SqlClient client, Instant defaultCutoff, Map<UUID, Instant> cutoffs) {
        return client.preparedQuery("SELECT count(*) FROM " + table + " e WHERE " + cutoffCondition())
                .execute(cutoffTuple(defaultCutoff, cutoffs))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The oldest events a run would take over every group, at most {@code limit}. */
    public Uni<List<EventRow>> eligible(
            SqlClient client, Instant defaultCutoff, Map<UUID, Instant> cutoffs, int limit) {
        Tuple tuple = cutoffTuple(defaultCutoff, cutoffs).addInteger(limit);
        return client.preparedQuery("SELECT " + COLUMNS + " FROM " + table + " e WHERE " + cutoffCondition()
                        + " ORDER BY \"timestamp\", id LIMIT $4")
                .execute(tuple)
                .map(EventStore::events);
    }

    /**
     * The next page of a group's events before {@code cutoff}, after the cursor {@code (afterTime, afterId)} (null:
     * the first page). Two statements rather than one with "cursor IS NULL OR ...", so the index scan of a later
     * page starts at the cursor instead of walking past everything before it.
     */
    public Uni<List<EventRow>> page(
            SqlClient client, UUID groupId, Instant cutoff, Instant afterTime, UUID afterId, int limit) {
        if (afterTime == null) {
            return client.preparedQuery("SELECT " + COLUMNS + " FROM " + table + """
                             WHERE group_id = $1 AND "timestamp" < $2
                            ORDER BY "timestamp", id LIMIT $3""")
                    .execute(Tuple.of(groupId, utc(cutoff), limit))
                    .map(EventStore::events);
        }
        return client.preparedQuery("SELECT " + COLUMNS + " FROM " + table + """
                         WHERE group_id = $1 AND "timestamp" < $2 AND ("timestamp", id) > ($3, $4)
                        ORDER BY "timestamp", id LIMIT $5""")
                .execute(Tuple.of(groupId, utc(cutoff), utc(afterTime), afterId, limit))
                .map(EventStore::events);
    }

    /** The object's events that are still hot, in archive order. */
    public Uni<List<EventRow>> byIds(SqlClient client, ArchivedObjectStore.ObjectRow object) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM " + table + " WHERE " + OBJECT_EVENTS
                        + " ORDER BY \"timestamp\", id")
                .execute(objectEvents(object))
                .map(EventStore::events);
    }

    /**
     * Removes the hot copies of archived objects' events and records their ids (with group and type) as archived,
     * in one statement, several objects' in one round trip; returns how many each deleted. ingest refuses to reuse
     * a recorded id; recording it in the statement that deletes the row means no snapshot sees the id in neither
     * table, whatever the transaction around it. Deleting by id makes a repeat harmless (it deletes and records
     * nothing).
     */
    public Uni<List<Integer>> delete(SqlClient client, List<ArchivedObjectStore.ObjectRow> objects) {
        List<Tuple> tuples = new ArrayList<>(objects.size());
        for (ArchivedObjectStore.ObjectRow object : objects) {
            tuples.add(objectEvents(object));
        }
        return client.preparedQuery("""
                        WITH gone AS (DELETE FROM %s WHERE %s RETURNING id, group_id, type),
                             recorded AS (INSERT INTO %s (id, group_id, type) SELECT id, group_id, type FROM gone
                                          ON CONFLICT (id) DO NOTHING)
                        SELECT count(*)::int FROM gone""".formatted(table, OBJECT_EVENTS, archivedIds))
                .executeBatch(tuples)
                .map(rows -> {
                    List<Integer> counts = new ArrayList<>(objects.size());
                    for (RowSet<Row> each = rows; each != null; each = each.next()) {
                        counts.add(each.iterator().next().getInteger(0));
                    }
                    return counts;
                });
    }

    /** Who holds a hot event id: its group and type. */
    public record Holder(UUID groupId, String type) {}

    /** The group and type of the hot events among {@code ids}, by primary key. */
    public Uni<Map<UUID, Holder>> hotHolders(SqlClient client, UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT id, group_id, type FROM " + table + " WHERE id = ANY($1::uuid[])")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<UUID, Holder> holders = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        holders.put(row.getUUID(0), new Holder(row.getUUID(1), row.getString(2)));
                    }
                    return holders;
                });
    }

    /**
     * Takes restored events' ids off the archived record, in the transaction that put them back: from then on the
     * hot row holds the id. Only the group's own records go, whatever {@code ids} holds.
     */
    public Uni<Integer> forgetArchived(SqlClient tx, UUID groupId, UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("DELETE FROM " + archivedIds + " WHERE group_id = $1 AND id = ANY($2::uuid[])")
                .execute(Tuple.of(groupId, ids))
                .map(RowSet::rowCount);
    }

    /**
     * Puts restored events back; an id that is already hot is left alone. Returns the ids inserted. Run it in one
     * transaction with {@link #forgetArchived}, after checking who holds the ids already hot.
     */
    public Uni<Set<UUID>> insertMissing(SqlClient client, List<EventRow> events) {
        int n = events.size();
        if (n == 0) {
            return Uni.createFrom().item(Set.of());
        }
        UUID[] ids = new UUID[n];
        UUID[] groups = new UUID[n];
        String[] types = new String[n];
        UUID[] actors = new UUID[n];
        UUID[] targets = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] metadata = new String[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            EventRow event = events.get(i);
            ids[i] = event.id();
            groups[i] = event.groupId();
            types[i] = event.type();
            actors[i] = event.actorId();
            targets[i] = event.targetId();
            times[i] = utc(event.timestamp());
            metadata[i] = event.metadataJson();
            recorded[i] = utc(event.recordedAt());
        }
        return client.preparedQuery("INSERT INTO " + table + """
                         (id, group_id, type, actor_id, target_id, "timestamp", metadata, recorded_at)
                        SELECT e.id, e.group_id, e.type, e.actor, e.target, e.at, e.metadata::jsonb, e.recorded
                        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[],
                                    $7::text[], $8::timestamptz[])
                             AS e(id, group_id, type, actor, target, at, metadata, recorded)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(List.of(ids, groups, types, actors, targets, times, metadata, recorded)))
                .map(rows -> {
                    Set<UUID> inserted = new HashSet<>(rows.size() * 2);
                    for (Row row : rows) {
                        inserted.add(row.getUUID(0));
                    }
                    return inserted;
                });
    }

    /** Average stored size of a row among (at most 1,000 of) the group's or all oldest events, in bytes. */
    public Uni<Double> averageRowBytes(SqlClient client, UUID groupId) {
        return client.preparedQuery("SELECT avg(pg_column_size(s.*))::float8 FROM (SELECT * FROM " + table
                        + " WHERE ($1::uuid IS NULL OR group_id = $1) ORDER BY \"timestamp\" LIMIT 1000) s")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    Double value = rows.iterator().next().getDouble(0);
                    return value == null ? 0.0 : value;
                });
    }

    private static String cutoffCondition() {
        return """
                e."timestamp" < COALESCE(
                    (SELECT o.cutoff FROM unnest($2::uuid[], $3::timestamptz[]) AS o(group_id, cutoff)
                     WHERE o.group_id = e.group_id), $1)""";
    }

    private static Tuple cutoffTuple(Instant defaultCutoff, Map<UUID, Instant> cutoffs) {
        UUID[] groups = new UUID[cutoffs.size()];
        OffsetDateTime[] times = new OffsetDateTime[cutoffs.size()];
        int i = 0;
        for (Map.Entry<UUID, Instant> entry : cutoffs.entrySet()) {
            groups[i] = entry.getKey();
            times[i++] = utc(entry.getValue());
        }
        return Tuple.of(utc(defaultCutoff), groups, times);
    }

    private static List<EventRow> events(RowSet<Row> rows) {
        List<EventRow> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(new EventRow(
                    row.getUUID(0),
                    row.getUUID(1),
                    row.getString(2),
                    row.getUUID(3),
                    row.getUUID(4),
                    row.getOffsetDateTime(5).toInstant(),
                    row.getString(6),
                    row.getOffsetDateTime(7).toInstant()));
        }
        return events;
    }

    private static Tuple objectEvents(ArchivedObjectStore.ObjectRow object) {
        return Tuple.of(object.groupId(), utc(object.minTime()), utc(object.maxTime()), object.eventIds());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
