package dev.strata.metrics.messaging;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.service.ProjectionApplier;
import dev.strata.metrics.service.StreamRecord;
import dev.strata.metrics.store.ProjectionTables;
import dev.strata.model.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the live projections from the event topic, one polled batch per transaction. The batch is acknowledged
 * only after its transaction committed; a batch that fails is retried with back-off, and after
 * {@code strata.metrics.apply-attempts} it is nacked, which stops the channel (readiness goes down) rather than
 * skipping events.
 */
@ApplicationScoped
public class EventStreamConsumer {

    private static final Logger LOG = Logger.getLogger(EventStreamConsumer.class);

    private final ProjectionApplier applier;
    private final MetricsConfig config;
    private final ProjectionLag lag;
    private final Counter read;
    private final Counter applied;
    private final Counter rejected;
    private final Timer batches;

    public EventStreamConsumer(ProjectionApplier applier, MetricsConfig config, ProjectionLag lag,
                               MeterRegistry registry) {
        this.applier = applier;
        this.config = config;
        this.lag = lag;
        this.read = Counter.builder("strata.projection.events.read")
                .description("Records read from the event topic by the live projection consumer").register(registry);
        this.applied = Counter.builder("strata.projection.events.applied")
                .description("Events applied for the first time (the rest were redeliveries)").register(registry);
        this.rejected = Counter.builder("strata.projection.events.rejected")
                .description("Unreadable records set aside in rejected_events").register(registry);
        this.batches = Timer.builder("strata.projection.batch")
                .description("Time from receiving a polled batch to the commit of its projection transaction")
                .register(registry);
    }

    @Incoming(Topics.EVENTS_IN)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        long received = System.nanoTime();
        List<StreamRecord> records = new ArrayList<>(batch.getRecords().size());
        List<Instant> published = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
            records.add(new StreamRecord(record.getTopic(), record.getPartition(), offset, record.getTimestamp(),
                    record.getPayload()));
            published.add(record.getTimestamp());
        }
        // Decoding a polled batch (up to max.poll.records JSON events) is CPU work of tens of milliseconds: on a
        // worker thread, not on the event loop that also serves reads.
        return Uni.createFrom().item(records).emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(polled -> applier.apply(ProjectionTables.LIVE, polled))
                .onFailure().invoke(e -> LOG.warnf("Could not apply a batch of %d events: %s", records.size(),
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .atMost(Math.max(1, config.applyAttempts() - 1))
                .invoke(outcome -> {
                    batches.record(System.nanoTime() - received, TimeUnit.NANOSECONDS);
                    lag.record(Instant.now(), published);
                    read.increment(outcome.read());
                    applied.increment(outcome.applied());
                    rejected.increment(outcome.rejected());
                })
                .chain(outcome -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "Giving up on a batch of %d events; stopping the projection consumer",
                            records.size());
                    return Uni.createFrom().completionStage(batch.nack(e));
                });
    }
}
