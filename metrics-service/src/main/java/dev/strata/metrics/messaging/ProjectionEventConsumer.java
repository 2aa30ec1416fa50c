package dev.strata.metrics.messaging;

import dev.strata.metrics.service.ProjectionApplier;
import dev.strata.metrics.service.ProjectionApplier.Batch;
import dev.strata.metrics.service.ProjectionApplier.Outcome;
import dev.strata.metrics.store.ProjectionTables;
import dev.strata.model.events.Topics;
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
 * Feeds the live projections from the event topic through the shared {@link StreamConsumer}: one polled batch
 * per transaction, transient failures retried for as long as they last, a record that can never be applied
 * quarantined while the records around it are applied. This class says what metrics reads and applies
 * ({@link ProjectionApplier}), and keeps its metrics and lag.
 */
@ApplicationScoped
public class ProjectionEventConsumer implements StreamHandler<Batch, Outcome> {

    private final StreamConsumer stream;
    private final ProjectionApplier applier;
    private final ProjectionLag lag;
    private final Counter read;
    private final Counter applied;
    private final Timer batches;

    public ProjectionEventConsumer(
            StreamConsumer stream, ProjectionApplier applier, ProjectionLag lag, MeterRegistry registry) {
        this.stream = stream;
        this.applier = applier;
        this.lag = lag;
        this.read = Counter.builder("strata.projection.events.read")
                .description("Records read from the event topic by the live projection consumer")
                .register(registry);
        this.applied = Counter.builder("strata.projection.events.applied")
                .description("Events applied for the first time (the rest were redeliveries)")
                .register(registry);
        this.batches = Timer.builder("strata.projection.batch")
                .description("Time from receiving a polled batch to the commit of its projection transaction")
                .register(registry);
    }

    /** Payload-style: the connector acknowledges the batch when the returned Uni completes. */
    @Incoming(Topics.EVENTS_IN)
    public Uni<Void> consume(ConsumerRecords<String, byte[]> batch) {
        return stream.consume(batch);
    }

    @Override
    public Decoding<Batch> decode(List<StreamRecord> records) {
        Batch batch = applier.decode(records);
        return new Decoding<>(batch, batch.rejected());
    }

    @Override
    public Uni<Outcome> apply(SqlConnection tx, Batch batch) {
        return applier.apply(tx, ProjectionTables.LIVE, batch);
    }

    @Override
    public void committed(Outcome outcome, List<StreamRecord> records, long receivedNanos) {
        batches.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
        lag.record(
                Instant.now(), records.stream().map(StreamRecord::publishedAt).toList());
        read.increment(outcome.read());
        applied.increment(outcome.applied());
    }
}
