package dev.strata.quota.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A reservation of quota (table {@code reservations}). It holds while it is {@code open} or {@code committed}; an
 * open one without a reference stops holding at its expiry on its own (nothing could settle it or be asked about
 * it), one with a reference only once it is resolved.
 */
@Entity
@Table(name = "reservations")
public class Reservation {

    public static final String OPEN = "open";
    public static final String COMMITTED = "committed";
    public static final String SETTLED = "settled";
    public static final String RELEASED = "released";
    public static final String EXPIRED = "expired";

    @Id
    public UUID id;

    @Column(name = "group_id")
    public UUID groupId;

    public String metric;
    public long amount;
    public String reference;
    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "committed_at")
    public Instant committedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** A new open reservation created at {@code now}, due for resolution {@code ttl} later. */
    public static Reservation open(
            UUID groupId, String metric, long amount, String reference, Instant now, Duration ttl) {
        Reservation reservation = new Reservation();
        reservation.id = UUID.randomUUID();
        reservation.groupId = groupId;
        reservation.metric = metric;
        reservation.amount = amount;
        reservation.reference = reference;
        reservation.status = OPEN;
        reservation.createdAt = now;
        reservation.expiresAt = now.plus(ttl);
        return reservation;
    }

    /**
     * The status a caller sees at {@code now}: an open reservation without a reference is "expired" once its expiry
     * has passed (it holds no more, whether or not the resolver has recorded that yet); one with a reference stays
     * "open", and holds, until it is resolved.
     */
    public String statusAt(Instant now) {
        return OPEN.equals(status) && reference == null && !expiresAt.isAfter(now) ? EXPIRED : status;
    }
}
