package dev.strata.support.messaging;

import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.Topics;
import dev.strata.support.messaging.ConsumerLog.Rejected;
import dev.strata.support.messaging.DeadLetters.Letter;
import dev.strata.support.messaging.StreamFailures.Verdict;
import dev.strata.support.messaging.StreamHandler.Decoding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one way Strata's services consume the event stream. A polled batch is read off the event loop and applied
 * in ONE transaction together with the partitions' next offsets ({@link StreamPositions}); the connector
 * acknowledges it when that has committed.
 * <ul>
 *   <li>A transient failure (the database or the broker away, a serialization conflict) is retried with back-off
 *   for as long as it lasts; nothing is skipped for it.</li>
 *   <li>A failure of the records' own (an unreadable record, a value no column holds, a broken constraint) is
 *   narrowed down by halves to the one record at fault; the records before it are applied, it is tried again
 *   ({@link StreamConfig#attemptsBeforeQuarantine()}), then quarantined: kept in {@code rejected_events} with its
 *   reason and bytes, published to {@link Topics#EVENTS_DLQ}, counted ({@code strata.stream.quarantined}), and the
 *   records after it are applied in order.</li>
 * </ul>
 * An admin re-applies a quarantined record once its cause is fixed ({@link Quarantine}).
 */
@ApplicationScoped
public class StreamConsumer {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);
    private static final int MAX_REASON_CHARS = 2000;

    private final Pool pool;
    private final ConsumerLog log;
    private final StreamPositions positions;
    private final DeadLetters deadLetters;
    private final StreamConfig config;
    private final MeterRegistry registry;
    private final Instance<StreamHandler<?, ?>> handlers;
    private final String consumerGroup;
    private volatile boolean stopping;

    public StreamConsumer(
            Pool pool,
            ConsumerLog log,
            StreamPositions positions,
            DeadLetters deadLetters,
            StreamConfig config,
            MeterRegistry registry,
            Instance<StreamHandler<?, ?>> handlers,
            @ConfigProperty(name = "mp.messaging.incoming." + Topics.EVENTS_IN + ".group.id")
                    Optional<String> consumerGroup) {
        this.pool = pool;
        this.log = log;
        this.positions = positions;
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
        this.handlers = handlers;
        this.consumerGroup = consumerGroup.orElse(null); // services that consume no stream have none
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** For the connector: completes once every record of the batch is applied or quarantined. */
    public Uni<Void> consume(ConsumerRecords<String, byte[]> batch) {
        long received = System.nanoTime();
        List<StreamRecord> records = new ArrayList<>(batch.count());
        for (ConsumerRecord<String, byte[]> record : batch) {
            records.add(StreamRecord.of(record));
        }
        return consume(records, received);
    }

    public Uni<Void> consume(List<StreamRecord> records, long received) {
        return records.isEmpty() ? Uni.createFrom().voidItem() : applyRange(handler(), records, received);
    }

    /** Whether this service consumes the stream (has a {@link StreamHandler}). */
    public boolean active() {
        return handlers.isResolvable();
    }

    StreamHandler<Object, Object> handler() {
        @SuppressWarnings("unchecked")
        StreamHandler<Object, Object> handler = (StreamHandler<Object, Object>) handlers.get();
        return handler;
    }

    private Uni<Void> applyRange(StreamHandler<Object, Object> handler, List<StreamRecord> records, long received) {
        return retryWhileTransient(attempt(handler, records, received), records)
                .onFailure()
                .recoverWithUni(failure -> {
                    if (stopping) {
                        return Uni.createFrom().failure(failure);
                    }
                    if (records.size() == 1) {
                        return retryOrQuarantine(handler, records.get(0), failure, received);
                    }
                    int half = records.size() / 2;
                    LOG.debugf(
                            "A batch of %d records failed for a reason of its own (%s): applying it by halves",
                            records.size(), failure.getMessage());
                    return applyRange(handler, records.subList(0, half), received)
                            .chain(() -> applyRange(handler, records.subList(half, records.size()), received));
                });
    }

    /** Reads, then applies in one transaction with the positions and the records that cannot be read. */
    private Uni<Void> attempt(StreamHandler<Object, Object> handler, List<StreamRecord> records, long received) {
        return Uni.createFrom()
                .item(() -> decode(handler, records))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(decoding -> pool.withTransaction(tx -> handler.apply(tx, decoding.value())
                                .call(() -> log.recordRejected(tx, decoding.rejected()))
                                .call(() -> positions.advance(tx, records)))
                        .invoke(result -> handler.committed(result, records, received))
                        .call(() -> sendDeadLetters(decoding.rejected()))
                        .invoke(() -> quarantined(decoding.rejected())))
                .replaceWithVoid();
    }

    private Decoding<Object> decode(StreamHandler<Object, Object> handler, List<StreamRecord> records) {
        List<StreamRecord> readable = new ArrayList<>(records.size());
        List<Rejected> tooLarge = new ArrayList<>();
        for (StreamRecord record : records) {
            if (record.size() > config.maxRecordBytes()) {
                tooLarge.add(new Rejected(
                        record,
                        null,
                        "too-large",
                        "The record's " + record.size()
                                + " bytes are more than the consumer reads (strata.stream.max-record-bytes = "
                                + config.maxRecordBytes() + ")."));
            } else {
                readable.add(record);
            }
        }
        Decoding<Object> decoded = handler.decode(readable);
        if (tooLarge.isEmpty()) {
            return decoded;
        }
        List<Rejected> rejected = new ArrayList<>(tooLarge);
        rejected.addAll(decoded.rejected());
        return new Decoding<>(decoded.value(), rejected);
    }

    private Uni<Void> retryOrQuarantine(
            StreamHandler<Object, Object> handler, StreamRecord record, Throwable failure, long received) {
        Uni<Void> again = config.attemptsBeforeQuarantine() <= 1
                ? Uni.createFrom().failure(failure)
                : retryWhileTransient(attempt(handler, List.of(record), received), List.of(record))
                        .onFailure(e -> !stopping)
                        .retry()
                        .withBackOff(config.retryInitialBackoff())
                        .atMost(config.attemptsBeforeQuarantine() - 2L);
        return again.onFailure()
                .recoverWithUni(last -> stopping ? Uni.createFrom().failure(last) : quarantine(record, last));
    }

    private Uni<Void> quarantine(StreamRecord record, Throwable failure) {
        Verdict verdict = StreamFailures.of(failure);
        Rejected rejected = new Rejected(record, eventId(record), verdict.kind(), reason(failure));
        Uni<Void> kept = pool.withTransaction(tx ->
                        log.recordRejected(tx, List.of(rejected)).call(() -> positions.advance(tx, List.of(record))))
                .chain(() -> deadLetters.send(new Letter(
                        record,
                        rejected.kind(),
                        rejected.reason(),
                        rootCause(failure).getClass().getName(),
                        consumerGroup)));
        // The quarantine is the way past a record: it is tried again whatever fails (the dead-letter topic only
        // fails while the broker is away; rejected_events only while the database is).
        return kept.onFailure(e -> !stopping)
                .invoke(e -> LOG.errorf("Quarantining %s failed, trying again: %s", record.position(), e.getMessage()))
                .onFailure(e -> !stopping)
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely()
                .invoke(() -> quarantined(List.of(rejected)));
    }

    private Uni<Void> sendDeadLetters(List<Rejected> rejected) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Rejected r : rejected) {
            chain = chain.chain(
                    () -> deadLetters.send(new Letter(r.record(), r.kind(), r.reason(), null, consumerGroup)));
        }
        return chain;
    }

    private <T> Uni<T> retryWhileTransient(Uni<T> work, List<StreamRecord> records) {
        return work.onFailure(this::isTransient)
                .invoke(e -> LOG.warnf(
                        "Applying %d record(s) from %s failed for now, trying again: %s",
                        records.size(), records.get(0).position(), e.getMessage()))
                .onFailure(this::isTransient)
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely();
    }

    private boolean isTransient(Throwable failure) {
        return !stopping && StreamFailures.of(failure).isTransient();
    }

    private void quarantined(List<Rejected> rejected) {
        for (Rejected r : rejected) {
            LOG.errorf("Quarantined %s (event %s, %s): %s", r.record().position(), r.eventId(), r.kind(), r.reason());
            Counter.builder("strata.stream.quarantined")
                    .description("Records the event-stream consumer set aside (rejected_events, " + Topics.EVENTS_DLQ
                            + "), by kind of fault")
                    .tag("kind", r.kind())
                    .register(registry)
                    .increment();
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String reason(Throwable failure) {
        Throwable root = rootCause(failure);
        String message = root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() > MAX_REASON_CHARS ? message.substring(0, MAX_REASON_CHARS) : message;
    }

    private static String eventId(StreamRecord record) {
        try {
            return record.value() == null
                    ? null
                    : EventEnvelopeCodec.read(record.value()).id();
        } catch (RuntimeException e) {
            return null;
        }
    }

    String consumerGroup() {
        return consumerGroup;
    }

    boolean stopping() {
        return stopping;
    }

    Pool pool() {
        return pool;
    }
}
