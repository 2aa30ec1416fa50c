package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
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
 * Reservations of quota. "Now" always comes from the caller (the service's clock), never from the database, so
 * expiry follows the same clock as everything else. A reservation holds while it is {@code open} or
 * {@code committed}; an open one without a reference stops holding at its expiry on its own (nothing could settle
 * it or be asked about it), one with a reference only once it is resolved.
 */
@ApplicationScoped
public class ReservationStore {

    public record ReservationRow(
            UUID id,
            UUID groupId,
            String metric,
            long amount,
            String reference,
            String status,
            Instant createdAt,
            Instant expiresAt,
            Instant committedAt,
            Instant closedAt) {}

    /** An unconfirmed write whose reservations are past their expiry: quota-service asks its writer about it. */
    public record Due(UUID groupId, String reference) {}

    private static final String COLUMNS =
            "id, group_id, metric, amount, reference, status, created_at, expires_at, committed_at, closed_at";

    public Uni<Void> insert(SqlClient tx, ReservationRow row) {
        return tx.preparedQuery("""
                        INSERT INTO reservations
                            (id, group_id, metric, amount, reference, status, created_at, expires_at)
                        VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)""")
                .execute(Tuple.wrap(new Object[] {
                    row.id(),
                    row.groupId(),
                    row.metric(),
                    row.amount(),
                    row.reference(),
                    utc(row.createdAt()),
                    utc(row.expiresAt())
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

    public Uni<ReservationRow> find(SqlClient client, UUID groupId, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM reservations WHERE id = $1 AND group_id = $2")
                .execute(Tuple.of(id, groupId))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? row(it.next()) : null;
                });
    }

    /**
     * Releases an open reservation (releasing a closed one changes nothing); a committed one is released only when
     * {@code evenCommitted} (an administrator's repair). Answers the status the reservation had, null if the group
     * has no such reservation.
     */
    public Uni<String> release(SqlClient client, UUID groupId, UUID id, Instant now, boolean evenCommitted) {
        // The outer SELECT reads the statement's snapshot: the status before the UPDATE.
        return client.preparedQuery("""
                        WITH released AS (
                            UPDATE reservations SET status = 'released', closed_at = $3
                            WHERE id = $1 AND group_id = $2
                              AND (status = 'open' OR (status = 'committed' AND $4)))
                        SELECT status FROM reservations WHERE id = $1 AND group_id = $2""")
                .execute(Tuple.of(id, groupId, utc(now), evenCommitted))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? it.next().getString(0) : null;
                });
    }

    /**
     * The write with this reference committed: its open reservations are held until settled, whatever their
     * expiry. Answers all of the reference's reservations as they are afterwards.
     */
    public Uni<List<ReservationRow>> commit(SqlClient client, UUID groupId, String reference, Instant now) {
        // Two statements: the second one's snapshot sees the first one's update.
        return client.preparedQuery("""
                        UPDATE reservations SET status = 'committed', committed_at = $3
                        WHERE group_id = $1 AND reference = $2 AND status = 'open'""")
                .execute(Tuple.of(groupId, reference, utc(now)))
                .chain(() -> client.preparedQuery("SELECT " + COLUMNS + " FROM reservations"
                                + " WHERE group_id = $1 AND reference = $2 ORDER BY metric, created_at")
                        .execute(Tuple.of(groupId, reference)))
                .map(rows -> {
                    List<ReservationRow> found = new ArrayList<>();
                    rows.forEach(row -> found.add(row(row)));
                    return found;
                });
    }

    /**
     * Closes the open reservations of a write its writer declared never committed (and never to commit): they
     * stop holding.
     */
    public Uni<Integer> expire(SqlClient client, UUID groupId, String reference, Instant now) {
        return client.preparedQuery("""
                        UPDATE reservations SET status = 'expired', closed_at = $3
                        WHERE group_id = $1 AND reference = $2 AND status = 'open'""")
                .execute(Tuple.of(groupId, reference, utc(now)))
                .map(rows -> rows.rowCount());
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

    private static ReservationRow row(Row row) {
        return new ReservationRow(
                row.getUUID(0),
                row.getUUID(1),
                row.getString(2),
                row.getLong(3),
                row.getString(4),
                row.getString(5),
                instant(row.getOffsetDateTime(6)),
                instant(row.getOffsetDateTime(7)),
                instant(row.getOffsetDateTime(8)),
                instant(row.getOffsetDateTime(9)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
