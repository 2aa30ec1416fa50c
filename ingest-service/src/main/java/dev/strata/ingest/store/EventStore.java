package dev.strata.ingest.store;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The group's events (table {@code events}): append-only, idempotent by event id, and no id is ever used twice, whether its
 * event is hot or archived ({@code archived_event_ids}, kept by archival-service).
 */
@ApplicationScoped
public class EventStore {

    public record EventRow(
            UUID id,
            String type,
            UUID actorId,
            UUID targetId,
            Instant timestamp,
            String metadataJson,
            Instant recordedAt) {}

    /**
     * Inserts rows whose ids the server generated (UUIDv7, fresh): returns the ids inserted; a row whose id is
     * already stored is left alone. Not checked against the archived ids: a fresh UUIDv7 cannot be among them.
     */
    public Uni<Set<UUID>> insertNew(SqlClient tx, UUID groupId, List<EventRow> rows) {
        return insert(tx, groupId, rows);
    }

    /**
     * Inserts the rows whose ids are new, hot or archived, and returns those ids. {@code clientIds} are the ids
     * among {@code rows} that a client chose: only they can name an archived event, so only they are looked up in
     * {@code archived_event_ids}, by its primary key. A row left out is answered from
     * {@link #holders}: a duplicate when its holder is this group with the same type, {@code id already used}
     * otherwise.
     *
     * <p>Why this is airtight. The insert alone cannot be: under READ COMMITTED (the transactions' level) its
     * snapshot is taken when it starts, and when archival-service archives the same id meanwhile (one statement
     * deletes the hot row and records the id in {@code archived_event_ids}), the insert waits on the unique index
     * for that transaction, finds the hot row gone once it commits, and inserts; a {@code NOT EXISTS} inside the
     * insert, evaluated on the older snapshot, would miss the recorded id. So the check is a second statement of
     * this transaction: its snapshot is taken after the insert returned, hence after any archiving transaction the
     * insert waited for had committed, and it sees that id. The ids it finds among those just inserted are deleted
     * again (this transaction's own rows, which no other transaction saw). If the insert did not wait, the id was
     * not hot, nor being archived, when it ran: archival records an id only as it deletes the hot row, so either
     * the id was archived before the check's snapshot (found) or never (nothing to find). The other way round, a
     * restore putting an id back (insert the hot row, delete the recorded id, one transaction) meets this insert on
     * the unique index: if the restore inserted first, this insert waits and then does nothing; if this one did, the
     * restore waits for it, and the check, which cannot see the restore's uncommitted delete, finds the id
     * archived. So no committed state holds an id both hot and archived, or hot for two events. The check is sent
     * together with the insert (pipelined), so it costs no round trip; the README (Decisions) gives its price.
     */
    public Uni<Set<UUID>> insertNew(SqlClient tx, UUID groupId, List<EventRow> rows, UUID[] clientIds) {
        if (rows.isEmpty() || clientIds.length == 0) {
            return insert(tx, groupId, rows);
        }
        // Both statements leave together, pipelined on the transaction's connection, and run in this order.
        return Uni.combine()
                .all()
                .unis(insert(tx, groupId, rows), archived(tx, clientIds))
                .asTuple()
                .chain(both -> {
                    Set<UUID> inserted = both.getItem1();
                    UUID[] undo =
                            both.getItem2().stream().filter(inserted::contains).toArray(UUID[]::new);
                    if (undo.length == 0) {
                        return Uni.createFrom().item(inserted);
                    }
                    return tx.preparedQuery("DELETE FROM events WHERE group_id = $1 AND id = ANY($2::uuid[])")
                            .execute(Tuple.of(groupId, undo))
                            .map(deleted -> {
                                Set<UUID> kept = new HashSet<>(inserted);
                                kept.removeAll(Arrays.asList(undo));
                                return kept;
                            });
                });
    }

    /** The ids among {@code ids} recorded as archived, looked up by the primary key. */
    private static Uni<Set<UUID>> archived(SqlClient tx, UUID[] ids) {
        return tx.preparedQuery("SELECT id FROM archived_event_ids WHERE id = ANY($1::uuid[])")
                .execute(Tuple.of(ids))
                .map(EventStore::idSet);
    }

    private static Uni<Set<UUID>> insert(SqlClient tx, UUID groupId, List<EventRow> rows) {
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
            EventRow row = rows.get(i);
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
                .map(EventStore::idSet);
    }

    private static Set<UUID> idSet(RowSet<Row> rows) {
        Set<UUID> ids = new HashSet<>(rows.size() * 2);
        for (Row row : rows) {
            ids.add(row.getUUID(0));
        }
        return ids;
    }

    /** Who holds an event id: its group and type. */
    public record Holder(UUID groupId, String type) {}

    /**
     * The group and type of each event among {@code ids} that is stored, hot or archived, whatever its group. Used
     * only to tell a client's re-sent event from an id another group (or another type) already holds; the holder
     * never leaves the service. One statement, so one snapshot: an id being archived or restored meanwhile is seen
     * in exactly one of the two tables.
     */
    public Uni<Map<UUID, Holder>> holders(SqlClient client, UUID[] ids) {
        if (ids.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("""
                        SELECT id, group_id, type FROM events WHERE id = ANY($1::uuid[])
                        UNION ALL
                        SELECT id, group_id, type FROM archived_event_ids WHERE id = ANY($1::uuid[])""").execute(Tuple.of(ids)).map(rows -> {
            Map<UUID, Holder> holders = new HashMap<>(rows.size() * 2);
            for (Row row : rows) {
                holders.putIfAbsent(row.getUUID(0), new Holder(row.getUUID(1), row.getString(2)));
            }
            return holders;
        });
    }

    /** A page of the group's events, newest first, before the cursor {@code (timestamp, id)}. */
    public Uni<List<EventRow>> page(
            SqlClient client, UUID groupId, String type, Instant beforeTime, UUID beforeId, int limit) {
        return client.preparedQuery("""
                        SELECT id, type, actor_id, target_id, "timestamp", metadata::text, recorded_at FROM events
                        WHERE group_id = $1 AND ($2::text IS NULL OR type = $2)
                          AND ($3::timestamptz IS NULL OR ("timestamp", id) < ($3, $4))
                        ORDER BY "timestamp" DESC, id DESC LIMIT $5""")
                .execute(Tuple.of(
                        groupId,
                        type,
                        beforeTime == null ? null : beforeTime.atOffset(ZoneOffset.UTC),
                        beforeId,
                        limit))
                .map(rows -> {
                    List<EventRow> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        page.add(new EventRow(
                                row.getUUID(0),
                                row.getString(1),
                                row.getUUID(2),
                                row.getUUID(3),
                                row.getOffsetDateTime(4).toInstant(),
                                row.getString(5),
                                row.getOffsetDateTime(6).toInstant()));
                    }
                    return page;
                });
    }
}
