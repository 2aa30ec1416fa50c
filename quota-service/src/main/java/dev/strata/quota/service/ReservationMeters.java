package dev.strata.quota.service;

import dev.strata.quota.store.ReservationStore;
import dev.strata.support.meters.MetersConfig;
import dev.strata.support.meters.PolledValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reservations as an operator watches them: {@code strata.quota.reservations} counts the answers to reservation
 * requests, by {@code outcome} ({@code granted}, {@code refused}: the quota-exceeded answers) and {@code metric};
 * {@code strata.quota.reservations.open} is how many reservations hold quota now, by {@code status} ({@code open}:
 * waiting for the writer's confirmation; {@code committed}: written, waiting for its events to be applied). The
 * counters are registered at start for every metered metric, so that rates exist from zero; the gauge is read from
 * the database every {@code strata.meters.refresh-every}.
 */
@Startup
@ApplicationScoped
public class ReservationMeters {

    static final String GRANTED = "granted";
    static final String REFUSED = "refused";
    static final List<String> HOLDING = List.of("open", "committed");

    private static final Logger LOG = Logger.getLogger(ReservationMeters.class);

    private final Pool pool;
    private final ReservationStore reservations;
    private final Clock clock;
    private final Map<String, Counter> answers = new HashMap<>();
    private final Map<String, PolledValue> holding = new HashMap<>();

    public ReservationMeters(
            Pool pool, ReservationStore reservations, Clock clock, MetersConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.reservations = reservations;
        this.clock = clock;
        for (Metric metric : Metric.meteredMetrics()) {
            for (String outcome : List.of(GRANTED, REFUSED)) {
                answers.put(
                        outcome + "/" + metric.key(),
                        Counter.builder("strata.quota.reservations")
                                .description("Reservation requests answered, by outcome (granted, refused) and metric")
                                .tag("outcome", outcome)
                                .tag("metric", metric.key())
                                .register(registry));
            }
        }
        for (String status : HOLDING) {
            PolledValue count = new PolledValue(config.staleAfter());
            holding.put(status, count);
            Gauge.builder("strata.quota.reservations.open", count, PolledValue::get)
                    .description("Reservations holding quota now, by status (open: unconfirmed; committed: written,"
                            + " waiting for its events)")
                    .tag("status", status)
                    .register(registry);
        }
    }

    public void granted(Metric metric) {
        answers.get(GRANTED + "/" + metric.key()).increment();
    }

    public void refused(Metric metric) {
        answers.get(REFUSED + "/" + metric.key()).increment();
    }

    // The first reading one interval after start, not amid the start-up of everything else.
    @Scheduled(
            every = "${strata.meters.refresh-every:5s}",
            delayed = "${strata.meters.refresh-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return reservations
                .holding(pool, clock.instant())
                .invoke(counts -> holding.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L))))
                .onFailure()
                .invoke(e -> LOG.debugf("Counting the open reservations failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
