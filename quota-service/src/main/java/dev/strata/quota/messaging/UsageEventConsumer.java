package dev.strata.quota.messaging;

import dev.strata.model.events.Topics;
import dev.strata.quota.messaging.UsageEventDecoder.Decoded;
import dev.strata.quota.messaging.UsageLag.Stamp;
import dev.strata.quota.service.UsageApplier;
import dev.strata.quota.service.UsageApplier.Applied;
import dev.strata.support.messaging.StreamConsumer;
import dev.strata.support.messaging.StreamHandler;
import dev.strata.support.messaging.StreamRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the usage counters from the event topic through the shared {@link StreamConsumer}: each polled batch is
 * applied in one transaction, transient failures are retried for as long as they last, and a record that can
 * never be applied is quarantined while the records around it are counted. This class says what quota reads
 * ({@link UsageEventDecoder}) and applies ({@link UsageApplier}), and keeps its metrics and lag.
 */
@ApplicationScoped
public class UsageEventConsumer implements StreamHandler<Decoded, Applied> {

    private final StreamConsumer stream;
    private final UsageApplier applier;
    private final Counter appliedCount;
    private final Counter duplicateCount;
    private final UsageLag lag;
    private final Timer applyTime;

    public UsageEventConsumer(StreamConsumer stream, UsageApplier applier, MeterRegistry registry, UsageLag lag) {
        this.stream = stream;
        this.applier = applier;
        this.lag = lag;
        this.appliedCount = Counter.builder("strata.quota.events.applied")
                .description("Events whose effect quota-service applied")
                .register(registry);
        this.duplicateCount = Counter.builder("strata.quota.events.duplicate")
                .description("Redelivered events quota-service recognised and skipped")
                .register(registry);
        this.applyTime = Timer.builder("strata.quota.batch.apply")
                .description("From a batch's arrival to the commit of its effect, retries included")
                .register(registry);
    }

    /** Payload-style: the connector acknowledges the batch when the returned Uni completes. */
    @Incoming(Topics.EVENTS_IN)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> batch) {
        return stream.consume(batch);
    }

    @Override
    public Decoding<Decoded> decode(List<StreamRecord> records) {
        Decoded decoded = UsageEventDecoder.decode(records);
        return new Decoding<>(decoded, decoded.rejected());
    }

    @Override
    public Uni<Applied> apply(SqlConnection tx, Decoded decoded) {
        return applier.applyLive(tx, decoded);
    }

    @Override
    public void committed(Applied applied, List<StreamRecord> records, long receivedNanos) {
        applyTime.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
        lag.record(
                Instant.now(),
                applied.counted().stream()
                        .map(e -> new Stamp(e.groupid(), e.time()))
                        .toList(),
                records.stream().map(r -> new Stamp(r.key(), r.publishedAt())).toList());
        appliedCount.increment(applied.fresh());
        duplicateCount.increment(applied.duplicates());
        records.forEach(r -> lag.appliedThrough(r.partition(), r.offset()));
    }
}
