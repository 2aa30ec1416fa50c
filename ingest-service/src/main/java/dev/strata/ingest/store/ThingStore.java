package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
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

/** Things, written in bulk: one statement per batch whatever its size ({@code unnest} of column arrays). */
@ApplicationScoped
public class ThingStore {

    private static final String COLUMNS =
            "id, group_id, type, name, properties::text, properties_bytes, status," + " created_at, updated_at";

    public record ThingRow(
            UUID id,
            UUID groupId,
            String type,
            String name,
            String propertiesJson,
            int propertiesBytes,
            String status,
            Instant createdAt,
            Instant updatedAt) {}

    /** Inserts the things of one group; they share the batch's creation time. */
    public Uni<Void> insert(SqlClient tx, UUID groupId, List<ThingRow> rows, Instant createdAt) {
        int n = rows.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] names = new String[n];
        String[] properties = new String[n];
        Integer[] sizes = new Integer[n];
        String[] statuses = new String[n];
        for (int i = 0; i < n; i++) {
            ThingRow row = rows.get(i);
            ids[i] = row.id();
            types[i] = row.type();
            names[i] = row.name();
            properties[i] = row.propertiesJson();
            sizes[i] = row.propertiesBytes();
            statuses[i] = row.status();
        }
        OffsetDateTime at = createdAt.atOffset(ZoneOffset.UTC);
        return tx.preparedQuery("""
                        INSERT INTO things (id, group_id, type, name, properties, properties_bytes, status,
                                            created_at, updated_at)
                        SELECT t.id, $1, t.type, t.name, t.properties::jsonb, t.size, t.status, $8, $8
                        FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])
                             AS t(id, type, name, properties, size, status)""")
                .execute(Tuple.from(List.of(groupId, ids, types, names, properties, sizes, statuses, at)))
                .replaceWithVoid();
    }

    public Uni<ThingRow> find(SqlClient client, UUID groupId, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM things WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(groupId, id))
                .map(rows -> rows.size() == 0 ? null : toRow(rows.iterator().next()));
    }

    /**
     * The group's things among {@code ids}, by id; with {@code lock}, locked for the transaction. The lock is
     * {@code NO KEY UPDATE} (updates never change an id), so batches that insert connections or knowledge pointing
     * at these things (which take {@code KEY SHARE}) neither wait for it nor deadlock with it.
     */
    public Uni<Map<UUID, ThingRow>> findAll(SqlClient client, UUID groupId, UUID[] ids, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM things WHERE group_id = $1 AND id = ANY($2::uuid[])"
                        + (lock ? " ORDER BY id FOR NO KEY UPDATE" : ""))
                .execute(Tuple.of(groupId, ids))
                .map(rows -> {
                    Map<UUID, ThingRow> found = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        ThingRow thing = toRow(row);
                        found.put(thing.id(), thing);
                    }
                    return found;
                });
    }

    /** Types of the group's things among {@code ids}: enough to validate connection ends. */
    public Uni<Map<UUID, String>> typesOf(SqlClient client, UUID groupId, UUID[] ids) {
        return client.preparedQuery("SELECT id, type FROM things WHERE group_id = $1 AND id = ANY($2::uuid[])")
                .execute(Tuple.of(groupId, ids))
                .map(rows -> {
                    Map<UUID, String> types = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        types.put(row.getUUID(0), row.getString(1));
                    }
                    return types;
                });
    }

    /** A page of the group's things in id (= creation) order, after {@code after}. */
    public Uni<List<ThingRow>> page(SqlClient client, UUID groupId, String type, String status, UUID after, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM things WHERE group_id = $1"
                        + " AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR status = $3)"
                        + " AND ($4::uuid IS NULL OR id > $4) ORDER BY id LIMIT $5")
                .execute(Tuple.of(groupId, type, status, after, limit))
                .map(rows -> {
                    List<ThingRow> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        page.add(toRow(row));
                    }
                    return page;
                });
    }

    /** Applies changed names, properties and statuses in one statement. */
    public Uni<Void> update(SqlClient tx, UUID groupId, List<ThingRow> changed, Instant at) {
        int n = changed.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[n];
        String[] names = new String[n];
        String[] properties = new String[n];
        Integer[] sizes = new Integer[n];
        String[] statuses = new String[n];
        for (int i = 0; i < n; i++) {
            ThingRow row = changed.get(i);
            ids[i] = row.id();
            names[i] = row.name();
            properties[i] = row.propertiesJson();
            sizes[i] = row.propertiesBytes();
            statuses[i] = row.status();
        }
        return tx.preparedQuery("""
                        UPDATE things SET name = u.name, properties = u.properties::jsonb, properties_bytes = u.size,
                                          status = u.status, updated_at = $7
                        FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[])
                             AS u(id, name, properties, size, status)
                        WHERE things.group_id = $1 AND things.id = u.id""")
                .execute(Tuple.from(
                        List.of(groupId, ids, names, properties, sizes, statuses, at.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    private static ThingRow toRow(Row row) {
        return new ThingRow(
                row.getUUID(0),
                row.getUUID(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getInteger(5),
                row.getString(6),
                row.getOffsetDateTime(7).toInstant(),
                row.getOffsetDateTime(8).toInstant());
    }
}
