package dev.strata.support.messaging;

import dev.strata.support.meters.MetersConfig;
import dev.strata.support.meters.PolledValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The stream consumer as an operator watches it, in the services that consume the stream: {@code strata.stream.lag}
 * (records of the event topic not applied yet, summed over its partitions, tagged with the consumer group) and
 * {@code strata.stream.quarantine.open} (records quarantined and not re-applied; the counter
 * {@code strata.stream.quarantined} counts every quarantine). Read every {@code strata.meters.refresh-every} from
 * the consumer's positions, the broker's end offsets ({@link StreamLag}) and {@code rejected_events}; a scrape
 * reads the last reading. Every replica reports the same figures: a dashboard takes the maximum, not the sum.
 */
@Startup
@ApplicationScoped
public class StreamMeters {

    private static final Logger LOG = Logger.getLogger(StreamMeters.class);
    /** A broker that does not answer within this leaves the last reading to go stale, rather than piling up calls. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final boolean active;
    private final StreamLag lag;
    private final Quarantine quarantine;
    private final PolledValue behind;
    private final PolledValue quarantined;

    public StreamMeters(
            StreamConsumer consumer,
            StreamLag lag,
            Quarantine quarantine,
            MetersConfig config,
            MeterRegistry registry) {
        this.active = consumer.active();
        this.lag = lag;
        this.quarantine = quarantine;
        this.behind = new PolledValue(config.staleAfter());
        this.quarantined = new PolledValue(config.staleAfter());
        if (active) {
            String group = consumer.consumerGroup() == null ? "none" : consumer.consumerGroup();
            Gauge.builder("strata.stream.lag", behind, PolledValue::get)
                    .description("Records of the event topic this service's consumer has not applied yet, summed"
                            + " over the partitions")
                    .baseUnit("records")
                    .tag("consumer", group)
                    .register(registry);
            Gauge.builder("strata.stream.quarantine.open", quarantined, PolledValue::get)
                    .description("Records the event-stream consumer set aside (rejected_events) and nobody has"
                            + " re-applied yet")
                    .register(registry);
        }
    }

    // The first reading one interval after start, not amid the start-up of everything else.
    @Scheduled(
            every = "${strata.meters.refresh-every:5s}",
            delayed = "${strata.meters.refresh-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        if (!active) {
            return Uni.createFrom().voidItem();
        }
        // On a worker thread: the first call creates the Kafka admin client, which blocks for a while.
        Uni<Void> records = Uni.createFrom()
                .deferred(lag::total)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .invoke(behind::set)
                .onFailure()
                .invoke(e -> LOG.debugf("Reading the stream consumer's lag failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
        Uni<Void> open = quarantine
                .open()
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .invoke(quarantined::set)
                .onFailure()
                .invoke(e -> LOG.debugf("Counting the quarantined records failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
        return Uni.combine().all().unis(records, open).discardItems();
    }
}
