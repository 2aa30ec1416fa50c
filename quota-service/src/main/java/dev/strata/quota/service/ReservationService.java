package dev.strata.quota.service;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.ProblemType;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.store.CounterStore;
import dev.strata.quota.store.CounterStore.CounterKey;
import dev.strata.quota.store.Reservation;
import dev.strata.quota.store.ReservationRepository;
import dev.strata.quota.store.ReservationStore;
import dev.strata.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Grants or refuses quota atomically. Reservations of one (group, metric) are serialized by a row lock on the
 * metric's counter, so usage plus held reservations plus the request is checked and the reservation written
 * with nobody in between: under any number of concurrent batches a hard limit is never overshot.
 *
 * <p>A reservation holds until its write's events are applied (settled) or its write is known never to commit
 * (released by the writer, or expired once the writer said so when asked, see {@link ReservationResolver}). The
 * writer confirms a write that committed ({@link #commit}); from then on the reservation holds whatever the
 * consumer's lag, and only the {@code batch_import} that settles it ends it.
 */
@ApplicationScoped
public class ReservationService {

    public static final int MAX_REFERENCE_LENGTH = 256;

    private final Pool pool;
    private final QuotaService quotas;
    private final CounterStore counters;
    private final ReservationStore reservations;
    private final ReservationRepository repository;
    private final PlanCatalog catalog;
    private final QuotaConfig.Reservations config;
    private final Clock clock;
    private final ReservationMeters meters;

    public ReservationService(
            Pool pool,
            QuotaService quotas,
            CounterStore counters,
            ReservationStore reservations,
            ReservationRepository repository,
            PlanCatalog catalog,
            QuotaConfig config,
            Clock clock,
            ReservationMeters meters) {
        this.pool = pool;
        this.quotas = quotas;
        this.counters = counters;
        this.reservations = reservations;
        this.repository = repository;
        this.catalog = catalog;
        this.config = config.reservations();
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * @param amount in the metric's base unit: bytes for storage_gb, a count otherwise
     * @throws QuotaExceededException (409) when the amount does not fit
     */
    public Uni<Reservation> reserve(UUID groupId, String metricKey, Long amount, String reference) {
        Metric metric = validate(metricKey, amount, reference);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Reservation row = Reservation.open(groupId, metric.key(), amount, reference, now, config.ttl());
        // A group not seen on the stream yet is learned from ingest between two attempts, not inside the
        // transaction, so no connection is held while ingest is asked.
        return attempt(groupId, metric, amount, row)
                .onItem()
                .ifNull()
                .switchTo(() -> quotas.learn(groupId)
                        .chain(learned -> learned
                                ? attempt(groupId, metric, amount, row)
                                : Uni.createFrom().<Reservation>nullItem()))
                .onItem()
                .ifNull()
                .failWith(() -> QuotaService.unknownGroup(groupId))
                .invoke(granted -> meters.granted(metric))
                .onFailure(QuotaExceededException.class)
                .invoke(refused -> meters.refused(metric));
    }

    /**
     * The reservation granted, or null (nothing written) for a group not in {@code groups}. On the reactive client:
     * the counter's row lock, the sum of what is held and the insert share one transaction.
     */
    private Uni<Reservation> attempt(UUID groupId, Metric metric, long amount, Reservation row) {
        Instant now = row.createdAt;
        return pool.withTransaction(tx -> quotas.limits(tx, groupId).chain(limits -> {
            if (limits == null) {
                return Uni.createFrom().<Reservation>nullItem();
            }
            Long limit = limits.baseLimit(metric);
            if (limit == null) {
                return reservations.insert(tx, row).replaceWith(row);
            }
            CounterKey key = new CounterKey(groupId, metric.key(), UsageDeltas.periodOf(metric, now));
            // Pipelined: the sum of open reservations is read once the counter's lock is held.
            return Uni.combine()
                    .all()
                    .unis(counters.lock(tx, key), reservations.held(tx, groupId, metric.key(), now))
                    .asTuple()
                    .chain(locked -> {
                        long current = locked.getItem1();
                        long held = locked.getItem2();
                        if (current + held + amount > limit) {
                            String upgrade = catalog.upgradeFor(limits.plan(), metric, current + held + amount)
                                    .map(Plan::name)
                                    .orElse(null);
                            throw new QuotaExceededException(metric, current, held, limit, amount, upgrade);
                        }
                        return reservations.insert(tx, row).replaceWith(row);
                    });
        }));
    }

    public Uni<Reservation> find(UUID groupId, UUID id) {
        return repository
                .findInGroup(groupId, id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No reservation " + id + " in this group."));
    }

    /**
     * Releases a reservation; releasing one that is already closed changes nothing. A committed one is in use by
     * a write that committed and whose events are on their way: only an administrator may release it (a repair,
     * e.g. for a write whose {@code batch_import} was quarantined).
     */
    @WithTransaction
    public Uni<Void> release(UUID groupId, UUID id, boolean admin) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return repository
                .release(groupId, id, now, admin)
                .chain(released -> released
                        ? Uni.createFrom().voidItem()
                        : repository
                                .findInGroup(groupId, id)
                                .invoke(found -> {
                                    if (found == null) {
                                        throw ProblemException.notFound("No reservation " + id + " in this group.");
                                    }
                                    if (found.status.equals(Reservation.COMMITTED) && !admin) {
                                        throw ProblemException.of(
                                                ProblemType.CONFLICT,
                                                "Reservation " + id + " belongs to a write "
                                                        + "that committed: it holds until that write's events are applied.");
                                    }
                                })
                                .replaceWithVoid());
    }

    /**
     * The write with this reference committed: its reservations hold until its events are applied, however long
     * that takes. Reservations already settled, released or expired stay as they are.
     */
    @WithTransaction
    public Uni<List<Reservation>> commit(UUID groupId, String reference) {
        if (reference == null || reference.isBlank() || reference.length() > MAX_REFERENCE_LENGTH) {
            throw ProblemException.validation(
                    "The confirmation is not valid.",
                    List.of(FieldError.of("reference", "must be 1 to " + MAX_REFERENCE_LENGTH + " characters")));
        }
        return repository.commit(groupId, reference, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** The status a caller sees now ({@link Reservation#statusAt}). */
    public String status(Reservation row) {
        return row.statusAt(clock.instant());
    }

    private Metric validate(String metricKey, Long amount, String reference) {
        List<FieldError> errors = new ArrayList<>();
        Metric metric = metricKey == null
                ? null
                : Metric.of(metricKey).filter(Metric::metered).orElse(null);
        if (metric == null) {
            errors.add(FieldError.of(
                    "metric",
                    "must be one of "
                            + String.join(
                                    ", ",
                                    Metric.meteredMetrics().stream()
                                            .map(Metric::key)
                                            .toList())));
        }
        if (amount == null || amount < 1) {
            errors.add(FieldError.of("amount", "must be a whole number >= 1"));
        } else if (amount > config.maxAmount()) {
            errors.add(FieldError.of("amount", "must be at most " + config.maxAmount()));
        }
        if (reference != null && (reference.isBlank() || reference.length() > MAX_REFERENCE_LENGTH)) {
            errors.add(FieldError.of("reference", "must be 1 to " + MAX_REFERENCE_LENGTH + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("The reservation is not valid.", errors);
        }
        return metric;
    }
}
