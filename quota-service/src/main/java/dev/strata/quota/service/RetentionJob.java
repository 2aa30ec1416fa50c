package dev.strata.quota.service;

import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.store.AppliedEventStore;
import dev.strata.quota.store.CounterStore;
import dev.strata.quota.store.ReservationStore;
import dev.strata.quota.store.ThresholdStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Housekeeping: removes expired periods (old api call months, daily history, their threshold crossings),
 * applied event ids past their deduplication window and closed reservations. Nothing here ever resets a
 * counter in use: a new month is a new row, so this job cannot race the consumer.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final Pool pool;
    private final CounterStore counters;
    private final ThresholdStore thresholds;
    private final AppliedEventStore applied;
    private final ReservationStore reservations;
    private final QuotaConfig.Retention config;
    private final Clock clock;

    public RetentionJob(
            Pool pool,
            CounterStore counters,
            ThresholdStore thresholds,
            AppliedEventStore applied,
            ReservationStore reservations,
            QuotaConfig config,
            Clock clock) {
        this.pool = pool;
        this.counters = counters;
        this.thresholds = thresholds;
        this.applied = applied;
        this.reservations = reservations;
        this.config = config.retention();
        this.clock = clock;
    }

    public record Removed(int periods, int crossings, int appliedEvents, int reservations) {}

    @Scheduled(
            every = "${strata.quota.retention.every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().invoke(removed -> LOG.debugf("Retention removed %s", removed))
                .replaceWithVoid();
    }

    public Uni<Removed> run() {
        Instant now = clock.instant();
        RetentionWindow window = RetentionWindow.at(now, config.keepMonths());
        return counters.deleteBefore(pool, window.firstKeptPeriod(), window.firstKeptDay())
                .chain(periods -> thresholds
                        .deleteBefore(pool, window.firstKeptPeriod())
                        .chain(crossings -> applied.deleteAppliedBefore(
                                        pool,
                                        now.minus(config.appliedEventsMaxAge()).atOffset(ZoneOffset.UTC))
                                .chain(ids -> reservations
                                        .purge(pool, now.minus(config.keepClosedReservations()))
                                        .map(closed -> new Removed(periods, crossings, ids, closed)))));
    }
}
