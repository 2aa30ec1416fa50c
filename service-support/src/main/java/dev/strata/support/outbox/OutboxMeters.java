package dev.strata.support.outbox;

import dev.strata.support.meters.MetersConfig;
import dev.strata.support.meters.PolledValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The outbox as an operator watches it: {@code strata.outbox.backlog} (rows waiting for the relay),
 * {@code strata.outbox.lag} (seconds the oldest of them has waited) and {@code strata.outbox.set.aside} (rows in
 * {@code outbox_dead}). Read from the database every {@code strata.meters.refresh-every} by one cheap statement
 * ({@link OutboxStore#backlog}); a scrape reads the last reading. Every replica reports the same table, relay or
 * not: a dashboard takes the maximum over replicas, not the sum.
 */
@Startup
@ApplicationScoped
public class OutboxMeters {

    private static final Logger LOG = Logger.getLogger(OutboxMeters.class);

    private final Pool pool;
    private final OutboxStore outbox;
    private final PolledValue pending;
    private final PolledValue oldestSeconds;
    private final PolledValue setAside;

    public OutboxMeters(Pool pool, OutboxStore outbox, MetersConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.outbox = outbox;
        this.pending = new PolledValue(config.staleAfter());
        this.oldestSeconds = new PolledValue(config.staleAfter());
        this.setAside = new PolledValue(config.staleAfter());
        Gauge.builder("strata.outbox.backlog", pending, PolledValue::get)
                .description("Outbox rows waiting for the relay (exact up to " + OutboxStore.EXACT_BACKLOG_UP_TO
                        + ", PostgreSQL's live-row count beyond)")
                .register(registry);
        TimeGauge.builder("strata.outbox.lag", oldestSeconds, TimeUnit.SECONDS, PolledValue::get)
                .description("How long the oldest row waiting in the outbox has waited (0 when none waits)")
                .register(registry);
        Gauge.builder("strata.outbox.set.aside", setAside, PolledValue::get)
                .description(
                        "Outbox rows Kafka refused for good, kept in outbox_dead until an operator deals with them")
                .register(registry);
    }

    // The first reading one interval after start, not amid the start-up of everything else.
    @Scheduled(
            every = "${strata.meters.refresh-every:5s}",
            delayed = "${strata.meters.refresh-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return outbox.backlog(pool)
                .invoke(backlog -> {
                    pending.set(backlog.pending());
                    oldestSeconds.set(backlog.oldestSeconds());
                    setAside.set(backlog.setAside());
                })
                .onFailure()
                .invoke(e -> LOG.debugf("Reading the outbox backlog failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
