package dev.strata.quota.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One reservation, or one write's, at a time. Each state change is a single conditional update ({@code ... where
 * status = 'open'}), so two callers racing (two replicas' resolvers, a writer and the resolver) change a reservation
 * once and never undo each other. The grant itself, which sums what is held under the counter's row lock, and the
 * set-based statements are {@link ReservationStore}'s. "Now" always comes from the caller's clock.
 */
@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, UUID> {

    @WithSession
    public Uni<Reservation> findInGroup(UUID groupId, UUID id) {
        return find("id = ?1 and groupId = ?2", id, groupId).firstResult();
    }

    /**
     * Releases the reservation if it is open, or also if committed when {@code evenCommitted}; answers whether it
     * did. In the caller's transaction.
     */
    public Uni<Boolean> release(UUID groupId, UUID id, Instant now, boolean evenCommitted) {
        List<String> from =
                evenCommitted ? List.of(Reservation.OPEN, Reservation.COMMITTED) : List.of(Reservation.OPEN);
        return update(
                        "status = ?1, closedAt = ?2 where id = ?3 and groupId = ?4 and status in ?5",
                        Reservation.RELEASED,
                        now,
                        id,
                        groupId,
                        from)
                .map(count -> count == 1);
    }

    /**
     * The write with this reference committed: its open reservations hold until settled, whatever their expiry.
     * Answers all of the reference's reservations as they are afterwards. In the caller's transaction.
     */
    public Uni<List<Reservation>> commit(UUID groupId, String reference, Instant now) {
        return update(
                        "status = ?1, committedAt = ?2 where groupId = ?3 and reference = ?4 and status = ?5",
                        Reservation.COMMITTED,
                        now,
                        groupId,
                        reference,
                        Reservation.OPEN)
                .chain(() -> list("groupId = ?1 and reference = ?2 order by metric, createdAt", groupId, reference));
    }

    /**
     * Closes the open reservations of a write its writer declared never committed (and never to commit): they stop
     * holding. In the caller's transaction.
     */
    public Uni<Integer> expire(UUID groupId, String reference, Instant now) {
        return update(
                "status = ?1, closedAt = ?2 where groupId = ?3 and reference = ?4 and status = ?5",
                Reservation.EXPIRED,
                now,
                groupId,
                reference,
                Reservation.OPEN);
    }
}
