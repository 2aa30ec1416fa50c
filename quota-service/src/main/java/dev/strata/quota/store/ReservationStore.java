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
import java.util.List;
import java.util.UUID;

/**
 * Reservations of quota. "Now" always comes from the caller (the service's clock), never from the database, so
 * expiry follows the same clock as everything else.
 */
@ApplicationScoped
public class ReservationStore {

    public record ReservationRow(UUID id, UUID groupId, String metric, long amount, String reference, String status,
                                 Instant createdAt, Instant expiresAt, Instant closedAt) {
    }

    public Uni<Void> insert(SqlClient tx, ReservationRow row) {
        return tx.preparedQuery("""
                        INSERT INTO reservations
                            (id, group_id, metric, amount, reference, status, created_at, expires_at)
                        VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)""")
                .execute(Tuple.wrap(new Object[] {row.id(), row.groupId(), row.metric(), row.amount(), row.reference(),
                        utc(row.createdAt()), utc(row.expiresAt())}))
                .replaceWithVoid();
    }

    /** Amount held by open reservations of a (group, metric) that have not expired at {@code now}. */
    public Uni<Long> held(SqlClient client, UUID groupId, String metric, Instant now) {
        return client.preparedQuery("""
                        SELECT coalesce(sum(amount), 0) FROM reservations
                        WHERE group_id = $1 AND metric = $2 AND status = 'open' AND expires_at > $3""")
                .execute(Tuple.of(groupId, metric, utc(now)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<ReservationRow> find(SqlClient client, UUID groupId, UUID id) {
        return client.preparedQuery("""
                        SELECT id, group_id, metric, amount, reference, status, created_at, expires_at, closed_at
                        FROM reservations WHERE id = $1 AND group_id = $2""")
                .execute(Tuple.of(id, groupId))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? row(it.next()) : null;
                });
    }

    /** Releases an open reservation; answers whether the reservation exists in the group at all. */
    public Uni<Boolean> release(SqlClient client, UUID groupId, UUID id, Instant now) {
        return client.preparedQuery("""
                        WITH released AS (
                            UPDATE reservations SET status = 'released', closed_at = $3
                            WHERE id = $1 AND group_id = $2 AND status = 'open')
                        SELECT count(*) FROM reservations WHERE id = $1 AND group_id = $2""")
                .execute(Tuple.of(id, groupId, utc(now)))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** Settles the open reservations whose reference is one of the (group, reference) pairs. */
    public Uni<Integer> settle(SqlClient tx, List<UUID> groups, List<String> references, Instant now) {
        if (groups.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("""
                        UPDATE reservations r SET status = 'settled', closed_at = $3
                        FROM unnest($1::uuid[], $2::text[]) AS s(group_id, reference)
                        WHERE r.group_id = s.group_id AND r.reference = s.reference AND r.status = 'open'""")
                .execute(Tuple.of(groups.toArray(UUID[]::new), references.toArray(String[]::new), utc(now)))
                .map(rows -> rows.rowCount());
    }

    /** Removes reservations closed before {@code closedBefore} and open ones that expired before it. */
    public Uni<Integer> purge(SqlClient client, Instant closedBefore) {
        return client.preparedQuery("""
                        DELETE FROM reservations
                        WHERE (status <> 'open' AND closed_at < $1) OR (status = 'open' AND expires_at < $1)""")
                .execute(Tuple.of(utc(closedBefore)))
                .map(rows -> rows.rowCount());
    }

    private static ReservationRow row(Row row) {
        OffsetDateTime closed = row.getOffsetDateTime(8);
        return new ReservationRow(row.getUUID(0), row.getUUID(1), row.getString(2), row.getLong(3),
                row.getString(4), row.getString(5),
                row.getOffsetDateTime(6).toInstant(), row.getOffsetDateTime(7).toInstant(),
                closed == null ? null : closed.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
