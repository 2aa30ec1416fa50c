package dev.strata.quota.messaging;

import dev.strata.model.events.Topics;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.messaging.AppliedLag.Stamp;
import dev.strata.quota.service.UsageApplier;
import dev.strata.quota.service.UsageApplier.Applied;
import dev.strata.quota.service.UsageEvents;
import dev.strata.quota.service.UsageEvents.Decoded;
import dev.strata.quota.service.UsageEvents.IncomingRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the usage counters from the event topic. Each Kafka batch is applied in ONE transaction and acknowledged
 * only after it commits; a failure is retried with back-off, and if it persists the batch is nacked, which fails
 * the channel (failure-strategy=fail): the service reports unhealthy and, restarted, reads again from the last
 * committed offset. No event is skipped silently: unreadable records are kept in {@code rejected_events}.
 */
@ApplicationScoped
public class UsageEventConsumer {

    private static final Logger LOG = Logger.getLogger(UsageEventConsumer.class);

    private final Pool pool;
    private final UsageApplier applier;
    private final QuotaConfig.Consumer config;
    private final Counter appliedCount;
    private final Counter duplicateCount;
    private final Counter rejectedCount;
    private final AppliedLag lag;
    private final Timer applyTime;

    public UsageEventConsumer(Pool pool, UsageApplier applier, QuotaConfig config, MeterRegistry registry,
                              AppliedLag lag) {
        this.pool = pool;
        this.applier = applier;
        this.lag = lag;
        this.config = config.consumer();
        this.appliedCount = Counter.builder("strata.quota.events.applied")
                .description("Events whose effect quota-service applied").register(registry);
        this.duplicateCount = Counter.builder("strata.quota.events.duplicate")
                .description("Redelivered events quota-service recognised and skipped").register(registry);
        this.rejectedCount = Counter.builder("strata.quota.events.rejected")
                .description("Records quota-service could not read; kept in rejected_events").register(registry);
        this.applyTime = Timer.builder("strata.quota.batch.apply")
                .description("From a batch's arrival to the commit of its effect, retries included").register(registry);
    }

    /**
     * Payload-style signature: the connector acknowledges the batch when the returned Uni completes, i.e. after
     * the transaction committed, and nacks it when the Uni fails. Decoding a batch (JSON of up to
     * {@code max.poll.records} events) is CPU work that would hold the event loop, and the HTTP requests queued on
     * it, for milliseconds to tens of them: it runs on a worker thread.
     */
    @Incoming(Topics.EVENTS_IN)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> batch) {
        long arrived = System.nanoTime();
        List<IncomingRecord> records = new ArrayList<>(batch.count());
        List<Stamp> recordTimes = new ArrayList<>(batch.count());
        for (ConsumerRecord<String, byte[]> record : batch) {
            recordTimes.add(new Stamp(record.key(), Instant.ofEpochMilli(record.timestamp())));
            records.add(new IncomingRecord(record.topic(), record.partition(), record.offset(), record.value()));
        }
        return Uni.createFrom().item(() -> UsageEvents.decode(records))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(decoded -> apply(decoded, records.size())
                        .invoke(applied -> applyTime.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS))
                        .invoke(applied -> count(applied, decoded, recordTimes))
                        .invoke(applied -> records.forEach(r -> lag.appliedThrough(r.partition(), r.offset()))))
                .replaceWithVoid();
    }

    private Uni<Applied> apply(Decoded decoded, int records) {
        return pool.withTransaction(tx -> applier.applyLive(tx, decoded))
                .onFailure().invoke(e -> LOG.warnf("Applying a batch of %d records failed, retrying: %s",
                        records, e.getMessage()))
                .onFailure().retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .expireIn(config.retryFor().toMillis())
                .onFailure().invoke(e -> LOG.errorf(e, "Giving up on a batch of %d records; failing the channel",
                        records));
    }

    private void count(Applied applied, Decoded decoded, List<Stamp> recordTimes) {
        lag.record(Instant.now(), applied.counted().stream().map(e -> new Stamp(e.groupid(), e.time())).toList(),
                recordTimes);
        appliedCount.increment(applied.fresh());
        duplicateCount.increment(applied.duplicates());
        if (!decoded.rejected().isEmpty()) {
            rejectedCount.increment(decoded.rejected().size());
            decoded.rejected().forEach(r -> LOG.errorf("Rejected record %s-%d@%d (event %s): %s", r.topic(),
                    r.partition(), r.offset(), r.eventId(), r.reason()));
        }
    }
}
