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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The activity log ({@code events}): append-only, idempotent by event id. */
@ApplicationScoped
public class ActivityStore {

    public record ActivityRow(UUID id, String type, UUID actorId, UUID targetId, Instant timestamp,
                              String metadataJson, Instant recordedAt) {
    }

    /** Inserts the rows whose ids are new and returns those ids; rows already stored are left alone. */
    public Uni<Set<UUID>> insertNew(SqlClient tx, UUID groupId, List<ActivityRow> rows) {
        int n = rows.size();
        if (n == 0) {
            return Uni.createFrom().item(Set.of());
        }
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        UUID[] actors = new UUID[n];
        UUID[] targets = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] metadata = new String[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ActivityRow row = rows.get(i);
            ids[i] = row.id();
            types[i] = row.type();
            actors[i] = row.actorId();
            targets[i] = row.targetId();
            times[i] = row.timestamp().atOffset(ZoneOffset.UTC);
            metadata[i] = row.metadataJson();
            recorded[i] = row.recordedAt().atOffset(ZoneOffset.UTC);
        }
        return tx.preparedQuery("""
                        INSERT INTO events (id, group_id, type, actor_id, target_id, "timestamp", metadata, recorded_at)
                        SELECT e.id, $1, e.type, e.actor, e.target, e.at, e.metadata::jsonb, e.recorded
                        FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::text[],
                                    $8::timestamptz[]) AS e(id, type, actor, target, at, metadata, recorded)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(List.of(groupId, ids, types, actors, targets, times, metadata, recorded)))
                .map(inserted -> {
                    Set<UUID> fresh = new HashSet<>(inserted.size() * 2);
                    for (Row row : inserted) {
                        fresh.add(row.getUUID(0));
                    }
                    return fresh;
                });
    }

    /** Who holds an event id: its group and type. */
    public record Holder(UUID groupId, String type) {
    }

    /**
     * The group and type of each stored event among {@code ids}, whatever its group. Used only to tell a client's
     * re-sent event from an id another group already holds; the holder never leaves the service.
     */
    public Uni<Map<UUID, Holder>> holders(SqlClient client, UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT id, group_id, type FROM events WHERE id = ANY($1::uuid[])")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<UUID, Holder> holders = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        holders.put(row.getUUID(0), new Holder(row.getUUID(1), row.getString(2)));
                    }
                    return holders;
                });
    }

    /** A page of the group's events, newest first, before the cursor {@code (timestamp, id)}. */
    public Uni<List<ActivityRow>> page(SqlClient client, UUID groupId, String type, Instant beforeTime, UUID beforeId,
                                       int limit) {
        return client.preparedQuery("""
                        SELECT id, type, actor_id, target_id, "timestamp", metadata::text, recorded_at FROM events
                        WHERE group_id = $1 AND ($2::text IS NULL OR type = $2)
                          AND ($3::timestamptz IS NULL OR ("timestamp", id) < ($3, $4))
                        ORDER BY "timestamp" DESC, id DESC LIMIT $5""")
                .execute(Tuple.of(groupId, type, beforeTime == null ? null : beforeTime.atOffset(ZoneOffset.UTC),
                        beforeId, limit))
                .map(rows -> {
                    List<ActivityRow> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        page.add(new ActivityRow(row.getUUID(0), row.getString(1), row.getUUID(2), row.getUUID(3),
                                row.getOffsetDateTime(4).toInstant(), row.getString(5),
                                row.getOffsetDateTime(6).toInstant()));
                    }
                    return page;
                });
    }
}
