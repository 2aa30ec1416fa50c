package dev.strata.metrics.store;

import static dev.strata.metrics.store.GraphReadStore.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of the rollups: a handful of rows per question, whatever the number of events behind them. */
@ApplicationScoped
public class StatsReadStore {

    /** A thing's activity; all zero when it never took part in an event. */
    public record ThingActivityRow(long eventsAsActor, long eventsInvolving, Instant lastActiveAt) {
        public static final ThingActivityRow NONE = new ThingActivityRow(0, 0, null);
    }

    public record CountRow(String key, String subKey, long count) {}

    public record GroupTotalsRow(
            long things,
            long connections,
            long knowledgeItems,
            long propertiesBytes,
            long knowledgeBytes,
            long events,
            Instant lastEventAt) {
        public static final GroupTotalsRow NONE = new GroupTotalsRow(0, 0, 0, 0, 0, 0, null);
    }

    public record ThingTypeRow(String thingType, long things, long connectionEnds) {}

    public record DailyRow(LocalDate day, String eventType, long events) {}

    public Uni<ThingActivityRow> thingActivity(SqlClient client, UUID groupId, UUID thingId) {
        return client.preparedQuery("SELECT events_as_actor, events_involving, last_active_at"
                        + " FROM thing_activity WHERE group_id = $1 AND thing_id = $2")
                .execute(Tuple.of(groupId, thingId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return ThingActivityRow.NONE;
                    }
                    Row row = rows.iterator().next();
                    return new ThingActivityRow(row.getLong(0), row.getLong(1), instant(row.getOffsetDateTime(2)));
                });
    }

    /** Events per type with the thing as actor: (type, null, count). */
    public Uni<List<CountRow>> actorEventTypes(SqlClient client, UUID groupId, UUID actorId) {
        return client.preparedQuery(
                        "SELECT event_type, events FROM actor_event_types" + " WHERE group_id = $1 AND actor_id = $2")
                .execute(Tuple.of(groupId, actorId))
                .map(rows -> {
                    List<CountRow> counts = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        counts.add(new CountRow(row.getString(0), null, row.getLong(1)));
                    }
                    return counts;
                });
    }

    /** The thing's connections per (direction, relationship type). */
    public Uni<List<CountRow>> connectionCounts(SqlClient client, UUID groupId, UUID thingId) {
        return client.preparedQuery("SELECT direction, relationship_type, connections FROM thing_connections"
                        + " WHERE group_id = $1 AND thing_id = $2")
                .execute(Tuple.of(groupId, thingId))
                .map(rows -> {
                    List<CountRow> counts = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        counts.add(new CountRow(row.getString(0), row.getString(1), row.getLong(2)));
                    }
                    return counts;
                });
    }

    public Uni<GroupTotalsRow> groupTotals(SqlClient client, UUID groupId) {
        return client.preparedQuery("SELECT things, connections, knowledge_items, properties_bytes, knowledge_bytes,"
                        + " events, last_event_at FROM group_totals WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return GroupTotalsRow.NONE;
                    }
                    Row row = rows.iterator().next();
                    return new GroupTotalsRow(
                            row.getLong(0),
                            row.getLong(1),
                            row.getLong(2),
                            row.getLong(3),
                            row.getLong(4),
                            row.getLong(5),
                            instant(row.getOffsetDateTime(6)));
                });
    }

    public Uni<List<ThingTypeRow>> thingTypes(SqlClient client, UUID groupId) {
        return client.preparedQuery(
                        "SELECT thing_type, things, connection_ends FROM group_thing_types" + " WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    List<ThingTypeRow> types = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        types.add(new ThingTypeRow(row.getString(0), row.getLong(1), row.getLong(2)));
                    }
                    return types;
                });
    }

    public Uni<List<DailyRow>> daily(SqlClient client, UUID groupId, LocalDate from, LocalDate to) {
        return client.preparedQuery("SELECT day, event_type, events FROM group_daily"
                        + " WHERE group_id = $1 AND day BETWEEN $2 AND $3")
                .execute(Tuple.of(groupId, from, to))
                .map(rows -> {
                    List<DailyRow> days = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        days.add(new DailyRow(row.getLocalDate(0), row.getString(1), row.getLong(2)));
                    }
                    return days;
                });
    }

    /** A thing's revenue as actor per currency, all-time. */
    public Uni<Map<String, BigDecimal>> thingRevenue(SqlClient client, UUID groupId, UUID thingId) {
        return client.preparedQuery("SELECT currency, revenue FROM thing_revenue WHERE group_id = $1 AND thing_id = $2")
                .execute(Tuple.of(groupId, thingId))
                .map(StatsReadStore::byCurrency);
    }

    /** A group's revenue per currency, all-time. */
    public Uni<Map<String, BigDecimal>> groupRevenue(SqlClient client, UUID groupId) {
        return client.preparedQuery("SELECT currency, revenue FROM group_revenue WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(StatsReadStore::byCurrency);
    }

    /** A group's revenue per currency in the calendar month starting on {@code month}. */
    public Uni<Map<String, BigDecimal>> monthRevenue(SqlClient client, UUID groupId, LocalDate month) {
        return client.preparedQuery(
                        "SELECT currency, revenue FROM group_revenue_monthly WHERE group_id = $1 AND month = $2")
                .execute(Tuple.of(groupId, month))
                .map(StatsReadStore::byCurrency);
    }

    private static Map<String, BigDecimal> byCurrency(RowSet<Row> rows) {
        Map<String, BigDecimal> sums = new HashMap<>();
        for (Row row : rows) {
            sums.put(row.getString(0), row.getBigDecimal(1));
        }
        return sums;
    }

    public Uni<Long> apiCalls(SqlClient client, UUID groupId, LocalDate month) {
        return client.preparedQuery("SELECT calls FROM api_calls_monthly WHERE group_id = $1 AND month = $2")
                .execute(Tuple.of(groupId, month))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }

    /** Things of the given types whose last event as actor happened on {@code since} or a later UTC day. */
    public Uni<Long> activeActors(SqlClient client, UUID groupId, String[] types, LocalDate since) {
        return client.preparedQuery("SELECT coalesce(sum(things), 0)::bigint FROM group_last_active"
                        + " WHERE group_id = $1 AND day >= $2 AND thing_type = ANY($3::text[])")
                .execute(Tuple.of(groupId, since, types))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
