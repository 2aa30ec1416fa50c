package dev.strata.quota.store;

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

/**
 * The set-based SQL of reservations ({@link Reservation}) on the reactive client: the grant's insert and sum under
 * the counter's lock, counts, the resolver's queue, settlement by a batch of events and purging. One reservation at
 * a time is {@link ReservationRepository}'s. "Now" always comes from the caller (the service's clock), never from
 * the database, so expiry follows the same clock as everything else.
 */
@ApplicationScoped
public class ReservationStore {

    /** An unconfirmed write whose reservations are past their expiry: quota-service asks its writer about it. */
    public record Due(UUID groupId, String reference) {}

    /**
     * Writes a new reservation in the caller's transaction: the grant's, which holds the counter's row lock while
     * it sums what is held, so the insert cannot move to a session of its own.
     */
    public Uni<Void> insert(SqlClient tx, Reservation row) {
        return tx.preparedQuery("""
                        INSERT INTO reservations
                            (id, group_id, metric, amount, reference, status, created_at, expires_at)
                        VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)""")
                .execute(Tuple.wrap(new Object[] {
                    row.id, row.groupId, row.metric, row.amount, row.reference, utc(row.createdAt), utc(row.expiresAt)
                }))
                .replaceWithVoid();
    }

    /**
     * Amount held by the reservations of a (group, metric) at {@code now}: committed ones, open ones with a
     * reference (past their expiry too, until resolved) and open ones without a reference that have not expired.
     */
    public Uni<Long> held(SqlClient client, UUID groupId, String metric, Instant now) {
        return client.preparedQuery("""
                        SELECT coalesce(sum(amount), 0) FROM reservations
                        WHERE group_id = $1 AND metric = $2 AND status IN ('open', 'committed')
                          AND (reference IS NOT NULL OR expires_at > $3)""")
                .execute(Tuple.of(groupId, metric, utc(now)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * How many reservations hold quota at {@code now} (as {@link #held} counts them), by status ({@code open},
     * {@code committed}); a status none has is missing. Reads the partial index of holding reservations only.
     */
    public Uni<Map<String, Long>> holding(SqlClient client, Instant now) {
        return client.preparedQuery("""
                        SELECT status, count(*) FROM reservations
                        WHERE status IN ('open', 'committed') AND (reference IS NOT NULL OR expires_at > $1)
                        GROUP BY status""").execute(Tuple.of(utc(now))).map(rows -> {
            Map<String, Long> counts = new HashMap<>();
            for (Row row : rows) {
                counts.put(row.getString(0), row.getLong(1));
            }
            return counts;
        });
    }

    /** Records as expired the open reservations without a reference whose expiry has passed (they hold no more). */
    public Uni<Integer> expireUnreferenced(SqlClient client, Instant now) {
        return client.preparedQuery("""
                        UPDATE reservations SET status = 'expired', closed_at = expires_at
                        WHERE status = 'open' AND reference IS NULL AND expires_at <= $1""").execute(Tuple.of(utc(now))).map(rows -> rows.rowCount());
    }

    /** Writes with open reservations past their expiry, those that expired first first; at most {@code limit}. */
    public Uni<List<Due>> due(SqlClient client, Instant now, int limit) {
        return client.preparedQuery("""
                        SELECT group_id, reference FROM reservations
                        WHERE status = 'open' AND reference IS NOT NULL AND expires_at <= $1
                        GROUP BY group_id, reference ORDER BY min(expires_at) LIMIT $2""").execute(Tuple.of(utc(now), limit)).map(rows -> {
            List<Due> due = new ArrayList<>();
            rows.forEach(row -> due.add(new Due(row.getUUID(0), row.getString(1))));
            return due;
        });
    }

    /** Settles the held reservations whose reference is one of the (group, reference) pairs. */
    public Uni<Integer> settle(SqlClient tx, List<UUID> groups, List<String> references, Instant now) {
        if (groups.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("""
                        UPDATE reservations r SET status = 'settled', closed_at = $3
                        FROM unnest($1::uuid[], $2::text[]) AS s(group_id, reference)
                        WHERE r.group_id = s.group_id AND r.reference = s.reference
                          AND r.status IN ('open', 'committed')""")
                .execute(Tuple.of(groups.toArray(UUID[]::new), references.toArray(String[]::new), utc(now)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Removes reservations closed before {@code closedBefore}, and open ones without a reference that expired
     * before it. Open ones with a reference and committed ones are never removed: they hold until resolved.
     */
    public Uni<Integer> purge(SqlClient client, Instant closedBefore) {
        return client.preparedQuery("""
                        DELETE FROM reservations
                        WHERE (status IN ('settled', 'released', 'expired') AND closed_at < $1)
                           OR (status = 'open' AND reference IS NULL AND expires_at < $1)""").execute(Tuple.of(utc(closedBefore))).map(rows -> rows.rowCount());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
