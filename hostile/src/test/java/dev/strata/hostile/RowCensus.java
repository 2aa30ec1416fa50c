package dev.strata.hostile;

import dev.strata.testing.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the rows of every table of the four Strata schemas, leaving out exactly the trail that API-call metering
 * legitimately writes while the corpus runs (each service counts the tenant's authenticated calls and writes one
 * {@code api_call} event per group and window through its outbox; quota and metrics apply them):
 * <ul>
 *   <li>{@code <schema>.outbox}: a queue, empty once the run has settled (what it carried is on the topic, where
 *       {@link StreamWatch} sees it);</li>
 *   <li>{@code quota.applied_events} and {@code metrics.applied_events}: the rows of the metering events seen on
 *       the topic during the run, by event id, and only those;</li>
 *   <li>{@code quota.counters}, {@code quota.usage_daily}, {@code quota.threshold_crossings}: the rows of metric
 *       {@code api_calls_per_month};</li>
 *   <li>{@code metrics.api_calls_monthly} (only api_call events write it) and {@code metrics.group_positions}
 *       (the last event applied per group, moved by every event; any event other than metering is reported on its
 *       own);</li>
 *   <li>{@code quota.stream_positions} and {@code metrics.stream_positions}: the consumers' next offset per
 *       partition, moved by every record (a record quarantined would show in {@code rejected_events}, which is
 *       counted).</li>
 *   <li>{@code archival.stream_segments}: the stream archive's segments, copies of whatever reached the topic (the
 *       metering events; any other event is reported by {@link StreamWatch}).</li>
 * </ul>
 * {@code ingest.events} rows of type {@code api_call} are NOT left out: the meter never writes the events table, so
 * such a row can only come from a client's {@code events:batch}.
 *
 * <p>Also left out: {@code quota.reservations} rows whose status is {@code released}. ingest reserves a batch's
 * quota while the batch's statements run (SPEC section 2), and a batch refused by a check that needs the
 * database (an end that is not a thing of the group) gives its grant back: quota-service keeps the released
 * reservation readable for a day, as bookkeeping of a grant that never counted. No usage, counter or event
 * comes of it; an open or settled reservation still counts. Likewise {@code ingest.batch_outcomes} rows whose
 * outcome is {@code abandoned}: quota-service, finding a reservation of the setup unconfirmed past its TTL (ingest
 * gave up waiting for the grant), asks ingest, which records that the write never committed. A {@code committed}
 * row comes only with a write and still counts.
 */
final class RowCensus {

    static final List<String> SCHEMAS = List.of("ingest", "quota", "metrics", "archival");
    static final Set<String> METERED_ONLY = Set.of(
            "metrics.api_calls_monthly",
            "metrics.group_positions",
            "quota.stream_positions",
            "metrics.stream_positions",
            "archival.stream_segments");
    static final Set<String> BY_METRIC = Set.of("quota.counters", "quota.usage_daily", "quota.threshold_crossings");
    static final Set<String> APPLIED = Set.of("quota.applied_events", "metrics.applied_events");
    static final String API_CALLS = "api_calls_per_month";
    /** Rows of a table that are bookkeeping, not data a request wrote (see the class comment). */
    static final Map<String, String> KEPT =
            Map.of("quota.reservations", "status <> 'released'", "ingest.batch_outcomes", "outcome <> 'abandoned'");

    /**
     * The tables a request writes synchronously, counted after every case to name the case that wrote (the
     * census before and after the whole corpus remains the measure).
     */
    static final List<String> DIRECT = List.of(
            "ingest.groups",
            "ingest.things",
            "ingest.connections",
            "ingest.knowledge",
            "ingest.events",
            "ingest.import_jobs",
            "ingest.idempotency_keys",
            "quota.reservations",
            "quota.overrides",
            "archival.archive_runs");

    private RowCensus() {}

    /** Rows per table ({@code schema.table}), the metering trail of {@code meteringIds} left out. */
    static Map<String, Long> count(Collection<String> meteringIds) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = TestDatabase.connect()) {
            Array ids = db.createArrayOf("text", meteringIds.toArray());
            for (String table : tables(db)) {
                if (table.endsWith(".outbox") || METERED_ONLY.contains(table)) {
                    continue;
                }
                String sql = "SELECT count(*) FROM " + table;
                if (KEPT.containsKey(table)) {
                    sql += " WHERE " + KEPT.get(table);
                } else if (APPLIED.contains(table)) {
                    sql += " WHERE event_id <> ALL(?)";
                } else if (BY_METRIC.contains(table)) {
                    sql += " WHERE metric <> '" + API_CALLS + "'";
                }
                try (PreparedStatement statement = db.prepareStatement(sql)) {
                    if (APPLIED.contains(table)) {
                        statement.setArray(1, ids);
                    }
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of the Strata schemas", e);
        }
        return counts;
    }

    /** Tables whose count changed, with the change; every table of either census is compared. */
    static Map<String, Long> changes(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> changed = new TreeMap<>();
        Set<String> tables = new TreeSet<>(before.keySet());
        tables.addAll(after.keySet());
        for (String table : tables) {
            long delta = after.getOrDefault(table, 0L) - before.getOrDefault(table, 0L);
            if (delta != 0) {
                changed.put(table, delta);
            }
        }
        return changed;
    }

    /** Rows written (or removed): the sum of the changes' sizes. */
    static long written(Map<String, Long> changes) {
        return changes.values().stream().mapToLong(Math::abs).sum();
    }

    /** The {@link #DIRECT} tables' counts, in one statement on {@code db} (kept open across cases). */
    static Map<String, Long> direct(Connection db) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < DIRECT.size(); i++) {
            String table = DIRECT.get(i);
            sql.append(i == 0 ? "" : ", ")
                    .append("(SELECT count(*) FROM ")
                    .append(table)
                    .append(KEPT.containsKey(table) ? " WHERE " + KEPT.get(table) : "")
                    .append(')');
        }
        try (PreparedStatement statement = db.prepareStatement(sql.toString());
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int i = 0; i < DIRECT.size(); i++) {
                counts.put(DIRECT.get(i), rs.getLong(i + 1));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + DIRECT, e);
        }
    }

    /** Rows in the four outboxes: zero once every write has been relayed. */
    static long outboxRows() {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < SCHEMAS.size(); i++) {
            sql.append(i == 0 ? "" : " + ")
                    .append("(SELECT count(*) FROM ")
                    .append(SCHEMAS.get(i))
                    .append(".outbox)");
        }
        return TestDatabase.scalar(sql.toString());
    }

    /**
     * Of these event ids, those neither applied nor quarantined by {@code schema}'s consumer ({@code quota} or
     * {@code metrics}).
     */
    static List<String> notYetApplied(String schema, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        try (Connection db = TestDatabase.connect();
                PreparedStatement statement = db.prepareStatement("SELECT id FROM unnest(?::text[]) AS wanted(id)"
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + schema + ".applied_events a WHERE a.event_id = id)"
                        + " AND NOT EXISTS (SELECT 1 FROM " + schema + ".rejected_events r WHERE r.event_id = id)")) {
            statement.setArray(1, db.createArrayOf("text", eventIds.toArray()));
            List<String> missing = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getString(1));
                }
            }
            return missing;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tables(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement("SELECT table_schema || '.' || table_name"
                + " FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ANY(?)"
                + " ORDER BY 1")) {
            statement.setArray(1, db.createArrayOf("text", SCHEMAS.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }
}
