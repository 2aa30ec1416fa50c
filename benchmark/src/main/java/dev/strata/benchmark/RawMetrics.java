package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creator stats and group metrics computed from ingest's tables, with the definitions of metrics-service's
 * README (activity events = every type but the stream facts; windows in whole UTC days from one "now").
 * Answers a line of the figures both compute, in the format of {@link #groupLine} and the creator line of {@code MetricsSuite}.
 */
final class RawMetrics implements AutoCloseable {

    /** A {@code :name} parameter, not a {@code ::type} cast. */
    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-zA-Z]\\w*)");

    private final PreparedStatement creator;
    private final PreparedStatement group;
    private final List<String> groupParameters = new ArrayList<>();
    private final Array nonActivity;
    private final Array people;
    private final Array content;

    RawMetrics(Connection sql) throws SQLException {
        nonActivity = sql.createArrayOf("text", MetricsSuite.NON_ACTIVITY);
        people = sql.createArrayOf("text", MetricsSuite.PEOPLE);
        content = sql.createArrayOf("text", MetricsSuite.CONTENT_LIKE);
        creator = sql.prepareStatement("""
                WITH e AS (SELECT type, "timestamp", metadata FROM ingest.events
                           WHERE group_id = ? AND actor_id = ? AND type <> ALL(?))
                SELECT th.name, th.created_at,
                       (SELECT coalesce(sum((metadata->>'amount')::numeric), 0) FROM e
                        WHERE type = 'revenue_generated' AND metadata->>'currency' = 'USD'),
                       (SELECT count(*) FROM ingest.connections c WHERE c.group_id = th.group_id
                        AND c.to_thing_id = th.id AND c.relationship_type = 'following'),
                       (SELECT count(*) FROM ingest.connections c WHERE c.group_id = th.group_id
                        AND c.from_thing_id = th.id AND c.relationship_type = 'authored'),
                       (SELECT count(*) FROM e), (SELECT max("timestamp") FROM e),
                       (SELECT json_object_agg(type, n ORDER BY type)
                        FROM (SELECT type, count(*) AS n FROM e GROUP BY type) t)
                FROM ingest.things th WHERE th.id = ?""");
        group = named(sql, """
                WITH th AS (SELECT id, type, name, created_at, properties_bytes FROM ingest.things
                            WHERE group_id = :group),
                ev AS (SELECT count(*) AS events,
                              coalesce(sum((metadata->>'amount')::numeric)
                                       FILTER (WHERE type = 'revenue_generated'
                                               AND metadata->>'currency' = 'USD'), 0) AS revenue,
                              count(*) FILTER (WHERE "timestamp" >= :month) AS events_month,
                              coalesce(sum((metadata->>'amount')::numeric)
                                       FILTER (WHERE type = 'revenue_generated' AND metadata->>'currency' = 'USD'
                                               AND "timestamp" >= :month), 0)
                                  AS revenue_month,
                              count(*) FILTER (WHERE "timestamp" >= :week) AS events_week,
                              count(*) FILTER (WHERE "timestamp" >= :weekBefore AND "timestamp" < :week)
                                  AS events_week_before,
                              max("timestamp") AS last_event
                       FROM ingest.events WHERE group_id = :group AND type <> ALL(:nonActivity)),
                ends AS (SELECT thing, count(*) AS n FROM (
                             SELECT from_thing_id AS thing FROM ingest.connections WHERE group_id = :group
                             UNION ALL SELECT to_thing_id FROM ingest.connections WHERE group_id = :group) x
                         GROUP BY thing),
                top AS (SELECT th.id, th.name, th.type, th.created_at, ends.n
                        FROM ends JOIN th ON th.id = ends.thing
                        WHERE th.type = ANY(:content) ORDER BY ends.n DESC, th.id LIMIT 10)
                SELECT (SELECT count(*) FROM th WHERE type = ANY(:people)) AS users,
                       (SELECT count(DISTINCT e.actor_id) FROM ingest.events e JOIN th ON th.id = e.actor_id
                        WHERE e.group_id = :group AND e."timestamp" >= :week AND e.type <> ALL(:nonActivity)
                          AND th.type = ANY(:people)) AS active_users,
                       (SELECT count(*) FROM th) AS entities,
                       (SELECT coalesce(sum(properties_bytes), 0) FROM th)
                         + (SELECT coalesce(sum(text_bytes + 4 * coalesce(cardinality(embedding), 0)), 0)
                            FROM ingest.knowledge WHERE group_id = :group) AS storage,
                       (SELECT coalesce(sum(coalesce((metadata->>'count')::bigint, 1)), 0) FROM ingest.events
                        WHERE group_id = :group AND type = 'api_call' AND "timestamp" >= :month) AS api_calls,
                       ev.*,
                       (SELECT coalesce(sum(ends.n), 0) FROM ends JOIN th ON th.id = ends.thing
                        WHERE th.type = ANY(:content)) AS content_ends,
                       (SELECT count(*) FROM th WHERE type = ANY(:content)) AS content_things,
                       (SELECT json_agg(top ORDER BY top.n DESC, top.id) FROM top) AS top
                FROM ev""");
    }

    /** A statement whose {@code :name} parameters are bound by name with {@link #bind}. */
    private PreparedStatement named(Connection sql, String text) throws SQLException {
        Matcher names = PARAMETER.matcher(text);
        while (names.find()) {
            groupParameters.add(names.group(1));
        }
        return sql.prepareStatement(names.replaceAll("?"));
    }

    String creator(UUID groupId, UUID creatorId) throws SQLException {
        creator.setObject(1, groupId);
        creator.setObject(2, creatorId);
        creator.setArray(3, nonActivity);
        creator.setObject(4, creatorId);
        try (ResultSet row = creator.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("creator " + creatorId + " is not in ingest's things");
            }
            return String.format(
                    Locale.ROOT,
                    "revenue=%s followers=%d content=%d events=%d byType=%s",
                    row.getBigDecimal(3).stripTrailingZeros().toPlainString(),
                    row.getLong(4),
                    row.getLong(5),
                    row.getLong(6),
                    row.getString(8).replace(" ", ""));
        }
    }

    String group(UUID groupId, Instant now) throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Timestamp month = day(today.withDayOfMonth(1));
        Timestamp week = day(today.minusDays(6));
        Timestamp weekBefore = day(today.minusDays(13));
        Map<String, Object> values = Map.of(
                "group",
                groupId,
                "nonActivity",
                nonActivity,
                "people",
                people,
                "content",
                content,
                "month",
                month,
                "week",
                week,
                "weekBefore",
                weekBefore);
        for (int i = 0; i < groupParameters.size(); i++) {
            group.setObject(i + 1, values.get(groupParameters.get(i)));
        }
        try (ResultSet row = group.executeQuery()) {
            row.next();
            JsonNode top = row.getString("top") == null ? Stack.JSON.createArrayNode() : readTree(row.getString("top"));
            return String.format(
                    Locale.ROOT,
                    "users=%d active=%d entities=%d storage=%d revenueMonth=%s"
                            + " eventsMonth=%d eventsWeek=%d top=%d",
                    row.getLong("users"),
                    row.getLong("active_users"),
                    row.getLong("entities"),
                    row.getLong("storage"),
                    row.getBigDecimal("revenue_month").stripTrailingZeros().toPlainString(),
                    row.getLong("events_month"),
                    row.getLong("events_week"),
                    top.path(0).path("n").asLong());
        }
    }

    private static Timestamp day(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static JsonNode readTree(String json) {
        try {
            return Stack.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        creator.close();
        group.close();
    }

    /** metrics-service's group metrics ({@code _computed}) as the line {@link #group} answers from raw SQL. */
    static String groupLine(JsonNode computed) {
        return String.format(
                Locale.ROOT,
                "users=%d active=%d entities=%d storage=%d revenueMonth=%s eventsMonth=%d" + " eventsWeek=%d top=%s",
                computed.path("userCount").asLong(),
                computed.path("activeUsers").asLong(),
                computed.path("totalEntities").asLong(),
                computed.path("storageUsed").asLong(),
                computed.path("revenueThisMonth")
                        .decimalValue()
                        .stripTrailingZeros()
                        .toPlainString(),
                computed.path("eventsThisMonth").asLong(),
                computed.path("eventsThisWeek").asLong(),
                computed.path("topContentByEngagement")
                        .path(0)
                        .path("connectionCount")
                        .asLong());
    }
}
