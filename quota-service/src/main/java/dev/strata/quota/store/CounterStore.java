package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;

/**
 * Usage counters keyed by (group, metric, period) and their daily history. Deltas are summed in Java first and
 * applied with one set-based upsert per batch, in key order, so concurrent writers lock rows in the same order.
 */
@ApplicationScoped
public class CounterStore {

    public record CounterKey(UUID groupId, String metric, String period) {
        public static final Comparator<CounterKey> ORDER = Comparator.comparing(CounterKey::groupId)
                .thenComparing(CounterKey::metric)
                .thenComparing(CounterKey::period);
    }

    public record DailyKey(UUID groupId, String metric, LocalDate day) {
        public static final Comparator<DailyKey> ORDER = Comparator.comparing(DailyKey::groupId)
                .thenComparing(DailyKey::metric)
                .thenComparing(DailyKey::day);
    }

    /** Adds the deltas and returns each counter's value after the change. */
    public Uni<Map<CounterKey, Long>> add(SqlClient tx, Tables tables, SortedMap<CounterKey, Long> deltas) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = deltas.size();
        UUID[] groups = new UUID[n];
        String[] metrics = new String[n];
        String[] periods = new String[n];
        Long[] values = new Long[n];
        int i = 0;
        for (Map.Entry<CounterKey, Long> delta : deltas.entrySet()) {
            groups[i] = delta.getKey().groupId();
            metrics[i] = delta.getKey().metric();
            periods[i] = delta.getKey().period();
            values[i] = delta.getValue();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + tables.counters() + " AS counters (group_id, metric, period, value)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[])"
                        + " ON CONFLICT (group_id, metric, period)"
                        + " DO UPDATE SET value = counters.value + excluded.value, updated_at = now()"
                        + " RETURNING group_id, metric, period, value")
                .execute(Tuple.of(groups, metrics, periods, values))
                .map(rows -> {
                    Map<CounterKey, Long> after = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        after.put(new CounterKey(row.getUUID(0), row.getString(1), row.getString(2)), row.getLong(3));
                    }
                    return after;
                });
    }

    public Uni<Void> addDaily(SqlClient tx, Tables tables, SortedMap<DailyKey, Long> deltas) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = deltas.size();
        UUID[] groups = new UUID[n];
        String[] metrics = new String[n];
        LocalDate[] days = new LocalDate[n];
        Long[] values = new Long[n];
        int i = 0;
        for (Map.Entry<DailyKey, Long> delta : deltas.entrySet()) {
            groups[i] = delta.getKey().groupId();
            metrics[i] = delta.getKey().metric();
            days[i] = delta.getKey().day();
            values[i] = delta.getValue();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + tables.usageDaily() + " AS daily (group_id, metric, day, delta)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::bigint[])"
                        + " ON CONFLICT (group_id, metric, day) DO UPDATE SET delta = daily.delta + excluded.delta")
                .execute(Tuple.of(groups, metrics, days, values))
                .replaceWithVoid();
    }

    /**
     * Locks one counter for the rest of the transaction, creating it at zero if missing, and returns its value.
     * This row lock is what serializes reservations of a (group, metric). The two statements are pipelined: they
     * run in order, and a statement the caller pipelines after them runs once the lock is held.
     */
    public Uni<Long> lock(SqlClient tx, CounterKey key) {
        Tuple args = Tuple.of(key.groupId(), key.metric(), key.period());
        return Uni.combine()
                .all()
                .unis(
                        tx.preparedQuery("INSERT INTO counters (group_id, metric, period, value) VALUES ($1, $2, $3, 0)"
                                        + " ON CONFLICT DO NOTHING")
                                .execute(args),
                        tx.preparedQuery("SELECT value FROM counters"
                                        + " WHERE group_id = $1 AND metric = $2 AND period = $3 FOR UPDATE")
                                .execute(args))
                .asTuple()
                .map(done -> done.getItem2().iterator().next().getLong(0));
    }

    /** A group's counters of the running totals and of one month, and when any of them last changed. */
    public record Snapshot(Map<String, Long> totals, Map<String, Long> month, Instant lastUpdated) {

        /** A group without any counter yet. */
        public static final Snapshot NONE = new Snapshot(Map.of(), Map.of(), null);
    }

    public Uni<Snapshot> snapshot(SqlClient client, UUID groupId, String month) {
        return client.preparedQuery("SELECT metric, period, value, updated_at FROM counters"
                        + " WHERE group_id = $1 AND (period = 'total' OR period = $2)")
                .execute(Tuple.of(groupId, month))
                .map(rows -> {
                    SnapshotBuilder snapshot = new SnapshotBuilder();
                    for (Row row : rows) {
                        snapshot.add(row, 0);
                    }
                    return snapshot.build();
                });
    }

    /** Every group's {@link #snapshot} in one query; groups without counters are absent. */
    public Uni<Map<UUID, Snapshot>> snapshots(SqlClient client, String month) {
        return client.preparedQuery("SELECT group_id, metric, period, value, updated_at FROM counters"
                        + " WHERE period = 'total' OR period = $1")
                .execute(Tuple.of(month))
                .map(rows -> {
                    Map<UUID, SnapshotBuilder> groups = new HashMap<>();
                    for (Row row : rows) {
                        groups.computeIfAbsent(row.getUUID(0), group -> new SnapshotBuilder())
                                .add(row, 1);
                    }
                    Map<UUID, Snapshot> snapshots = new HashMap<>(groups.size() * 2);
                    groups.forEach((group, snapshot) -> snapshots.put(group, snapshot.build()));
                    return snapshots;
                });
    }

    /** A snapshot from counter rows (metric, period, value, updated_at from column {@code at} on), in any order. */
    private static final class SnapshotBuilder {

        private final Map<String, Long> totals = new HashMap<>();
        private final Map<String, Long> month = new HashMap<>();
        private Instant lastUpdated;

        void add(Row row, int at) {
            (row.getString(at + 1).equals("total") ? totals : month).put(row.getString(at), row.getLong(at + 2));
            Instant updated = row.getOffsetDateTime(at + 3).toInstant();
            lastUpdated = lastUpdated == null || updated.isAfter(lastUpdated) ? updated : lastUpdated;
        }

        Snapshot build() {
            return new Snapshot(totals, month, lastUpdated);
        }
    }

    public record DailyDelta(LocalDate day, long delta) {}

    /** A metric's daily changes from {@code from} on, oldest first. */
    public Uni<List<DailyDelta>> dailySince(SqlClient client, UUID groupId, String metric, LocalDate from) {
        return client.preparedQuery("SELECT day, delta FROM usage_daily"
                        + " WHERE group_id = $1 AND metric = $2 AND day >= $3 ORDER BY day")
                .execute(Tuple.of(groupId, metric, from))
                .map(rows -> {
                    List<DailyDelta> days = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        days.add(new DailyDelta(row.getLocalDate(0), row.getLong(1)));
                    }
                    return days;
                });
    }

    /** Removes monthly periods before {@code firstKeptMonth} ("YYYY-MM") and history before {@code firstKeptDay}. */
    public Uni<Integer> deleteBefore(SqlClient client, String firstKeptMonth, LocalDate firstKeptDay) {
        return client.preparedQuery("DELETE FROM counters WHERE period <> 'total' AND period < $1")
                .execute(Tuple.of(firstKeptMonth))
                .chain(counters -> client.preparedQuery("DELETE FROM usage_daily WHERE day < $1")
                        .execute(Tuple.of(firstKeptDay))
                        .map(daily -> counters.rowCount() + daily.rowCount()));
    }

    /** Empties the rebuild tables before a rebuild. */
    public Uni<Void> clearRebuildTables(SqlClient client) {
        return client.query("TRUNCATE "
                        + String.join(
                                ", ",
                                Tables.REBUILD.groups(),
                                Tables.REBUILD.counters(),
                                Tables.REBUILD.usageDaily(),
                                Tables.REBUILD.appliedEvents()))
                .execute()
                .replaceWithVoid();
    }

    /**
     * Replaces the live counters, history and plans with the rebuild ones, and adds the replayed event ids to the
     * live ones so the live consumer skips what the replay already counted. Runs in the caller's transaction;
     * the table locks hold reservations and the consumer off until it commits.
     */
    public Uni<Void> swapInRebuildTables(SqlClient tx) {
        List<String> statements = List.of(
                "LOCK TABLE counters, usage_daily, groups IN EXCLUSIVE MODE",
                "DELETE FROM counters",
                "INSERT INTO counters SELECT * FROM rebuild_counters",
                "DELETE FROM usage_daily",
                "INSERT INTO usage_daily SELECT * FROM rebuild_usage_daily",
                "DELETE FROM groups",
                "INSERT INTO groups SELECT * FROM rebuild_groups",
                "INSERT INTO applied_events SELECT * FROM rebuild_applied_events ON CONFLICT DO NOTHING",
                "TRUNCATE rebuild_groups, rebuild_counters, rebuild_usage_daily, rebuild_applied_events");
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String sql : statements) {
            chain = chain.chain(() -> tx.query(sql).execute().replaceWithVoid());
        }
        return chain;
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }
}
