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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Connections, written in bulk with one {@code unnest} statement per batch. */
@ApplicationScoped
public class ConnectionStore {

    private static final String COLUMNS = "id, group_id, from_thing_id, to_thing_id, relationship_type, metadata::text,"
            + " strength, valid_from, valid_to, created_at";

    public record ConnectionRow(
            UUID id,
            UUID groupId,
            UUID fromThingId,
            UUID toThingId,
            String relationshipType,
            String metadataJson,
            Double strength,
            Instant validFrom,
            Instant validTo,
            Instant createdAt) {}

    /** Which ends a list of a thing's connections covers. */
    public enum Direction {
        OUTBOUND,
        INBOUND,
        BOTH
    }

    /**
     * Inserts the connections that do not exist yet and returns the ids of those it inserted; a row whose
     * (from, to, type) is already stored, or is being stored by a concurrent transaction, is skipped (the unique
     * constraint decides, so two batches never create a second copy). Rows are inserted in key order, so that two
     * batches that overlap wait for each other instead of deadlocking.
     */
    public Uni<Set<UUID>> insertNew(SqlClient tx, UUID groupId, List<ConnectionRow> rows, Instant createdAt) {
        int n = rows.size();
        if (n == 0) {
            return Uni.createFrom().item(Set.of());
        }
        UUID[] ids = new UUID[n];
        UUID[] from = new UUID[n];
        UUID[] to = new UUID[n];
        String[] types = new String[n];
        String[] metadata = new String[n];
        Double[] strength = new Double[n];
        OffsetDateTime[] validFrom = new OffsetDateTime[n];
        OffsetDateTime[] validTo = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ConnectionRow row = rows.get(i);
            ids[i] = row.id();
            from[i] = row.fromThingId();
            to[i] = row.toThingId();
            types[i] = row.relationshipType();
            metadata[i] = row.metadataJson();
            strength[i] = row.strength();
            validFrom[i] = utc(row.validFrom());
            validTo[i] = utc(row.validTo());
        }
        return tx.preparedQuery("""
                        INSERT INTO connections (id, group_id, from_thing_id, to_thing_id, relationship_type, metadata,
                                                 strength, valid_from, valid_to, created_at)
                        SELECT c.id, $1, c.from_id, c.to_id, c.type, c.metadata::jsonb, c.strength, c.valid_from,
                               c.valid_to, $10
                        FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::float8[],
                                    $8::timestamptz[], $9::timestamptz[])
                             AS c(id, from_id, to_id, type, metadata, strength, valid_from, valid_to)
                        ORDER BY c.from_id, c.to_id, c.type
                        ON CONFLICT ON CONSTRAINT connections_unique DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(
                        List.of(groupId, ids, from, to, types, metadata, strength, validFrom, validTo, utc(createdAt))))
                .map(inserted -> {
                    Set<UUID> fresh = new HashSet<>(inserted.size() * 2);
                    for (Row row : inserted) {
                        fresh.add(row.getUUID(0));
                    }
                    return fresh;
                });
    }

    /**
     * A page of the group's connections in id (= creation) order after {@code after}; with {@code thingId}, only
     * those leaving it, reaching it, or both.
     */
    public Uni<List<ConnectionRow>> page(
            SqlClient client, UUID groupId, UUID thingId, Direction direction, String type, UUID after, int limit) {
        String ends = thingId == null
                ? "TRUE"
                : switch (direction) {
                    case OUTBOUND -> "from_thing_id = $2";
                    case INBOUND -> "to_thing_id = $2";
                    case BOTH -> "(from_thing_id = $2 OR to_thing_id = $2)";
                };
        return client.preparedQuery("SELECT " + COLUMNS + " FROM connections WHERE group_id = $1"
                        + " AND ($2::uuid IS NULL OR " + ends + ")"
                        + " AND ($3::text IS NULL OR relationship_type = $3)"
                        + " AND ($4::uuid IS NULL OR id > $4) ORDER BY id LIMIT $5")
                .execute(Tuple.of(groupId, thingId, type, after, limit))
                .map(rows -> {
                    List<ConnectionRow> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        page.add(new ConnectionRow(
                                row.getUUID(0),
                                row.getUUID(1),
                                row.getUUID(2),
                                row.getUUID(3),
                                row.getString(4),
                                row.getString(5),
                                row.getDouble(6),
                                instant(row, 7),
                                instant(row, 8),
                                instant(row, 9)));
                    }
                    return page;
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, int column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
