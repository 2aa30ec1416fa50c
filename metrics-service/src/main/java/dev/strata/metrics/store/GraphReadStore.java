package dev.strata.metrics.store;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of the live projection of things, connections, knowledge and the activity feed. Every query reads one
 * table and at most a page of rows through an index that already has them in the order asked for.
 */
@ApplicationScoped
public class GraphReadStore {

    private static final String THING_COLUMNS = "id, group_id, type, name, status, properties::text, properties_bytes,"
            + " created_at, updated_at, connection_count";

    private static final String CONNECTION_COLUMNS = "id, group_id, from_id, from_type, to_id, to_type,"
            + " relationship_type, metadata::text, strength, valid_from, valid_to, created_at";

    public record ThingRow(
            UUID id,
            UUID groupId,
            String type,
            String name,
            String status,
            String propertiesJson,
            int propertiesBytes,
            Instant createdAt,
            Instant updatedAt,
            long connectionCount) {}

    /** A connection seen from one of its ends: {@code direction} is inbound or outbound for that end. */
    public record ConnectionRow(
            UUID id,
            UUID groupId,
            UUID fromId,
            String fromType,
            UUID toId,
            String toType,
            String relationshipType,
            String metadataJson,
            Double strength,
            Instant validFrom,
            Instant validTo,
            Instant createdAt,
            String direction) {}

    public record KnowledgeRow(
            UUID id,
            UUID sourceThingId,
            String kind,
            String text,
            int textBytes,
            int embeddingDimensions,
            Instant createdAt) {}

    public record EventRow(
            String id,
            String type,
            UUID actorId,
            UUID targetId,
            Instant occurredAt,
            String metadataJson,
            Instant recordedAt) {}

    /** A place in a list of connections newest first: after this one. */
    public record ConnectionCursor(Instant createdAt, UUID id, String direction) {}

    public Uni<ThingRow> thing(SqlClient client, UUID groupId, UUID id) {
        return client.preparedQuery("SELECT " + THING_COLUMNS + " FROM things WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(groupId, id))
                .map(rows -> rows.size() == 0 ? null : thingRow(rows.iterator().next()));
    }

    public Uni<Map<UUID, ThingRow>> things(SqlClient client, UUID groupId, UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return client.preparedQuery(
                        "SELECT " + THING_COLUMNS + " FROM things" + " WHERE group_id = $1 AND id = ANY($2::uuid[])")
                .execute(Tuple.of(groupId, ids))
                .map(rows -> {
                    Map<UUID, ThingRow> found = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        ThingRow thing = thingRow(row);
                        found.put(thing.id(), thing);
                    }
                    return found;
                });
    }

    /**
     * A page of a thing's connections, newest first ({@code createdAt}, then id, then direction), after the cursor.
     * With both directions a connection from a thing to itself appears twice, once per direction, as it is
     * counted in both.
     */
    public Uni<List<ConnectionRow>> connections(
            SqlClient client,
            UUID groupId,
            UUID thingId,
            boolean inbound,
            boolean outbound,
            String type,
            ConnectionCursor after,
            int limit) {
        List<Object> params = new ArrayList<>(List.of(groupId, thingId));
        List<String> branches = new ArrayList<>(2);
        if (inbound) {
            branches.add(branch("inbound", "to_id", type, after, params, limit));
        }
        if (outbound) {
            branches.add(branch("outbound", "from_id", type, after, params, limit));
        }
        String sql = branches.size() == 1
                ? branches.get(0)
                : "SELECT * FROM (" + String.join(" UNION ALL ", branches) + ") c"
                        + " ORDER BY created_at DESC, id DESC, direction LIMIT " + limit;
        return client.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<ConnectionRow> page = new ArrayList<>(rows.size());
            for (Row row : rows) {
                page.add(new ConnectionRow(
                        row.getUUID(0),
                        row.getUUID(1),
                        row.getUUID(2),
                        row.getString(3),
                        row.getUUID(4),
                        row.getString(5),
                        row.getString(6),
                        row.getString(7),
                        row.getDouble(8),
                        instant(row.getOffsetDateTime(9)),
                        instant(row.getOffsetDateTime(10)),
                        instant(row.getOffsetDateTime(11)),
                        row.getString(12)));
            }
            return page;
        });
    }

    private static String branch(
            String direction, String endColumn, String type, ConnectionCursor after, List<Object> params, int limit) {
        // Only constants and integers are written into the SQL; values travel as parameters.
        StringBuilder sql = new StringBuilder("(SELECT ")
                .append(CONNECTION_COLUMNS)
                .append(", '")
                .append(direction)
                .append("' AS direction FROM connections WHERE group_id = $1 AND ")
                .append(endColumn)
                .append(" = $2");
        if (type != null) {
            params.add(type);
            sql.append(" AND relationship_type = $").append(params.size());
        }
        if (after != null) {
            // Rows after (t, id, d): older (t, id), or the same (t, id) in a direction that sorts after d.
            String comparison = direction.compareTo(after.direction()) > 0 ? "<=" : "<";
            params.add(after.createdAt().atOffset(ZoneOffset.UTC));
            int t = params.size();
            params.add(after.id());
            sql.append(" AND (created_at, id) ")
                    .append(comparison)
                    .append(" ($")
                    .append(t)
                    .append(", $")
                    .append(t + 1)
                    .append(')');
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit).append(')');
        return sql.toString();
    }

    public Uni<List<KnowledgeRow>> knowledge(SqlClient client, UUID groupId, UUID thingId, int limit) {
        return client.preparedQuery("SELECT id, source_thing_id, kind, text, text_bytes, embedding_dimensions,"
                        + " created_at FROM knowledge WHERE group_id = $1 AND source_thing_id = $2"
                        + " ORDER BY created_at, id LIMIT $3")
                .execute(Tuple.of(groupId, thingId, limit))
                .map(rows -> {
                    List<KnowledgeRow> items = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        items.add(new KnowledgeRow(
                                row.getUUID(0),
                                row.getUUID(1),
                                row.getString(2),
                                row.getString(3),
                                row.getInteger(4),
                                row.getInteger(5),
                                instant(row.getOffsetDateTime(6))));
                    }
                    return items;
                });
    }

    /** The newest events of the feed in which the thing is actor or target. */
    public Uni<List<EventRow>> activity(SqlClient client, UUID groupId, UUID thingId, int limit) {
        String columns = "event_id, type, actor_id, target_id, occurred_at, metadata::text AS metadata, recorded_at";
        return client.preparedQuery("SELECT * FROM ("
                        + "(SELECT " + columns + " FROM recent_events WHERE group_id = $1 AND actor_id = $2"
                        + " ORDER BY occurred_at DESC, event_id DESC LIMIT $3)"
                        + " UNION "
                        + "(SELECT " + columns + " FROM recent_events WHERE group_id = $1 AND target_id = $2"
                        + " ORDER BY occurred_at DESC, event_id DESC LIMIT $3)"
                        + ") e ORDER BY occurred_at DESC, event_id DESC LIMIT $3")
                .execute(Tuple.of(groupId, thingId, limit))
                .map(rows -> {
                    List<EventRow> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new EventRow(
                                row.getString(0),
                                row.getString(1),
                                row.getUUID(2),
                                row.getUUID(3),
                                instant(row.getOffsetDateTime(4)),
                                row.getString(5),
                                instant(row.getOffsetDateTime(6))));
                    }
                    return events;
                });
    }

    /** The most connected things of the given types: at most {@code limit} rows read per type. */
    public Uni<List<ThingRow>> mostConnected(SqlClient client, UUID groupId, String[] types, int limit) {
        if (types.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("SELECT t.* FROM unnest($2::text[]) AS ty(type) CROSS JOIN LATERAL ("
                        + "SELECT " + THING_COLUMNS + " FROM things WHERE group_id = $1 AND type = ty.type"
                        + " ORDER BY connection_count DESC, id LIMIT $3) t"
                        + " ORDER BY t.connection_count DESC, t.id LIMIT $3")
                .execute(Tuple.of(groupId, types, limit))
                .map(GraphReadStore::thingRows);
    }

    private static List<ThingRow> thingRows(RowSet<Row> rows) {
        List<ThingRow> things = new ArrayList<>(rows.size());
        for (Row row : rows) {
            things.add(thingRow(row));
        }
        return things;
    }

    private static ThingRow thingRow(Row row) {
        return new ThingRow(
                row.getUUID(0),
                row.getUUID(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getInteger(6),
                instant(row.getOffsetDateTime(7)),
                instant(row.getOffsetDateTime(8)),
                row.getLong(9));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
