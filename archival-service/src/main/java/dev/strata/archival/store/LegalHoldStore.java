package dev.strata.archival.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Legal holds: a group on hold keeps every archived object, whatever the archive's retention. Placing a hold and
 * removing an expired object take the same per-group transaction lock ({@link #lock}), so a hold placed before the
 * removal's check stops it, and one placed after finds the object gone.
 */
@ApplicationScoped
public class LegalHoldStore {

    public record Hold(UUID groupId, String reason, String placedBy, Instant placedAt) {}

    /** The group's hold lock, until the caller's transaction ends. */
    public Uni<Void> lock(SqlClient tx, UUID groupId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('strata.legal-hold:' || $1::uuid::text))")
                .execute(Tuple.of(groupId))
                .replaceWithVoid();
    }

    public Uni<Hold> find(SqlClient client, UUID groupId) {
        return client.preparedQuery(
                        "SELECT group_id, reason, placed_by, placed_at FROM legal_holds WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? hold(it.next()) : null;
                });
    }

    /** Places the hold, or replaces its reason; in the caller's transaction, after {@link #lock}. */
    public Uni<Hold> place(SqlClient tx, UUID groupId, String reason, String placedBy) {
        return tx.preparedQuery("""
                        INSERT INTO legal_holds (group_id, reason, placed_by) VALUES ($1, $2, $3)
                        ON CONFLICT (group_id) DO UPDATE SET reason = excluded.reason
                        RETURNING group_id, reason, placed_by, placed_at""")
                .execute(Tuple.of(groupId, reason, placedBy))
                .map(rows -> hold(rows.iterator().next()));
    }

    /** Lifts the hold; true when there was one. */
    public Uni<Boolean> lift(SqlClient client, UUID groupId) {
        return client.preparedQuery("DELETE FROM legal_holds WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Hold hold(Row row) {
        return new Hold(
                row.getUUID(0),
                row.getString(1),
                row.getString(2),
                row.getOffsetDateTime(3).toInstant());
    }
}
