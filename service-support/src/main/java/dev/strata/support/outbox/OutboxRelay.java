package dev.strata.support.outbox;

import dev.strata.model.events.Topics;
import dev.strata.support.messaging.EventRecordLimits;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.messaging.KafkaClientConfig;
import dev.strata.support.outbox.OutboxStore.Dead;
import dev.strata.support.outbox.OutboxStore.Pending;
import dev.strata.support.outbox.Settlement.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to the event topic, keyed by group, and removes them in the same transaction
 * that locked their shard. A crash between the send and the mark republishes a row (consumers deduplicate by event
 * id). Kafka answers each row on its own, and the batch is settled row by row ({@link Settlement}): a row Kafka
 * refused for good (too large, invalid) moves to {@code outbox_dead} with its reason, is counted in
 * {@code strata.outbox.dead} and logged, and the rest of its batch and the other shards go on; a row that failed
 * otherwise (Kafka down) stays with the rest of its group's rows, the relay backs off and sends them again, in
 * order, for as long as the failure lasts, so nothing is lost and a group's events keep their order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final byte[] CLOUDEVENTS_JSON = "application/cloudevents+json".getBytes(StandardCharsets.US_ASCII);

    private final Pool pool;
    private final OutboxStore outbox;
    private final OutboxConfig config;
    private final Map<String, Object> kafkaConfig;
    private final EventRecordLimits limits;
    private final MeterRegistry registry;
    private final Counter published;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicBoolean vacuuming = new AtomicBoolean();
    private long publishedSinceVacuum;
    private volatile long liveAtLastVacuum;

    private volatile boolean running;
    private volatile Thread worker;
    private KafkaProducer<String, byte[]> producer;

    public OutboxRelay(
            Pool pool,
            OutboxStore outbox,
            OutboxConfig config,
            EventStreamConfig events,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry registry) {
        this.pool = pool;
        this.outbox = outbox;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.limits = new EventRecordLimits(events.maxEventBytes());
        this.registry = registry;
        this.published = Counter.builder("strata.outbox.published")
                .description("Events the outbox relay published to Kafka")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    public synchronized void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** Called after a write commits, so its events leave without waiting for the next poll. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = KafkaClientConfig.producer(kafkaConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, limits.batchBytes());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limits.maxRequestBytes());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "strata-outbox-relay-" + java.util.UUID.randomUUID());
        return props;
    }

    private void loop() {
        while (running) {
            try {
                int sent = drain();
                if (sent == 0) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf(
                        "Outbox relay failed, retrying in %s: %s",
                        config.retryBackoff(), e instanceof Unsent ? e.getMessage() : rootMessage(e));
                try {
                    Thread.sleep(config.retryBackoff().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Publishes every shard this relay can lock until none has pending rows; returns the rows removed (published or
     * set aside). Shards take turns, one batch each per pass, and the pending shards are looked up again before
     * every pass: a group with a backlog of a million events (an import) does not hold back the events of the other
     * shards' groups. A batch whose rows did not all leave (Kafka down) ends the pass, once what did leave is
     * committed: the relay backs off and tries again.
     */
    public int drain() {
        int total = 0;
        boolean more = true;
        while (more && running) {
            more = false;
            int pass = 0;
            for (int shard : outbox.pendingShards(pool).await().atMost(Duration.ofSeconds(30))) {
                Settlement settled = pool.withTransaction(tx -> outbox.tryLockShard(tx, shard)
                                .chain(locked -> locked
                                        ? publishBatch(tx, shard)
                                        : Uni.createFrom().item(Settlement.NONE)))
                        .await()
                        .atMost(Duration.ofSeconds(60));
                report(shard, settled);
                pass += settled.removed();
                more |= settled.rows() == config.batchSize();
                if (settled.retry() != null) {
                    vacuumNowAndThen(pass, false);
                    throw new Unsent(shard, settled);
                }
            }
            total += pass;
            vacuumNowAndThen(pass, !more);
        }
        return total;
    }

    /** Counts what a committed settlement published and set aside, and logs each row set aside. */
    private void report(int shard, Settlement settled) {
        published.increment(settled.published().size());
        for (Dead dead : settled.dead()) {
            Counter.builder("strata.outbox.dead")
                    .description("Outbox rows Kafka refused for good, set aside in outbox_dead")
                    .tag("reason", dead.kind())
                    .register(registry)
                    .increment();
            LOG.errorf(
                    "Event %s of group %s refused by Kafka for good, set aside in outbox_dead (shard %d,"
                            + " position %d); its group's later events go on without it: %s",
                    dead.row().eventId(),
                    dead.row().groupId(),
                    shard,
                    dead.row().position(),
                    dead.reason());
        }
    }

    /**
     * Vacuums the outbox in the background (the relay goes on publishing meanwhile; one vacuum at a time per
     * replica) once it has published {@code vacuum-every} rows since the last vacuum, or, while rows are still
     * waiting, as many as that vacuum found live if those were more. A vacuum reads the whole table, the rows
     * still waiting too: behind a million-row import it is put off until half the table is dead (autovacuum's
     * scale factor, at 1) instead of scanning the backlog every 50,000 rows; once the relay has caught up, the
     * table is small again and is vacuumed at once.
     */
    private void vacuumNowAndThen(int published, boolean caughtUp) {
        publishedSinceVacuum += published;
        long due = caughtUp ? config.vacuumEvery() : Math.max(config.vacuumEvery(), liveAtLastVacuum);
        if (config.vacuumEvery() <= 0 || publishedSinceVacuum < due || !vacuuming.compareAndSet(false, true)) {
            return;
        }
        publishedSinceVacuum = 0;
        outbox.vacuum(pool)
                .chain(() -> outbox.liveRowsEstimate(pool))
                .subscribe()
                .with(
                        live -> {
                            liveAtLastVacuum = live;
                            vacuuming.set(false);
                        },
                        failure -> {
                            vacuuming.set(false);
                            LOG.warnf(
                                    "Vacuuming the outbox failed (autovacuum, where it runs, still will): %s",
                                    rootMessage(failure));
                        });
    }

    private Uni<Settlement> publishBatch(SqlConnection tx, int shard) {
        return outbox.nextBatch(tx, shard, config.batchSize()).chain(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(Settlement.NONE);
            }
            // KafkaProducer.send may block (metadata, full buffer): never on the database client's event loop.
            return Uni.createFrom()
                    .item(batch)
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .chain(this::send)
                    .map(Settlement::of)
                    // both statements pipelined on the transaction's connection
                    .call(settled -> Uni.combine()
                            .all()
                            .unis(
                                    outbox.markPublished(tx, shard, settled.published()),
                                    outbox.markDead(tx, shard, settled.dead()))
                            .discardItems());
        });
    }

    /**
     * Sends the batch and waits for Kafka's answer to each of its rows, whatever the others' answers. A row whose
     * group already has a row of this batch that failed in a way that may pass (found at once: the broker's metadata
     * did not come within {@code max.block.ms}, as when it is coming back) is not sent but answered with that
     * failure, so that a later event of the group cannot reach the topic before the earlier one.
     */
    private Uni<List<Delivery>> send(List<Pending> batch) {
        List<CompletableFuture<Delivery>> answers = new ArrayList<>(batch.size());
        Map<UUID, CompletableFuture<Delivery>> lastOfGroup = new HashMap<>();
        for (Pending row : batch) {
            byte[] value = row.payload().getBytes(StandardCharsets.UTF_8);
            CompletableFuture<Delivery> answer = new CompletableFuture<>();
            CompletableFuture<Delivery> previous = lastOfGroup.put(row.groupId(), answer);
            Throwable earlier =
                    previous != null && previous.isDone() ? previous.join().failure() : null;
            if (Settlement.holdsGroup(earlier)) {
                answer.complete(new Delivery(row, value.length, earlier));
            } else {
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(Topics.EVENTS, row.groupId().toString(), value);
                record.headers().add("content-type", CLOUDEVENTS_JSON);
                try {
                    producer.send(record, (metadata, error) -> answer.complete(new Delivery(row, value.length, error)));
                } catch (RuntimeException e) { // refused before it was queued: serialization, a closed producer
                    answer.complete(new Delivery(row, value.length, e));
                }
            }
            answers.add(answer);
        }
        return Uni.createFrom()
                .completionStage(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                        .thenApply(all ->
                                answers.stream().map(CompletableFuture::join).toList()));
    }

    /** Rows of a batch stay in the outbox after a failure that may pass: the relay backs off before it retries. */
    private static final class Unsent extends RuntimeException {
        Unsent(int shard, Settlement settled) {
            super(
                    settled.kept() + " event(s) of shard " + shard + " kept for another attempt ("
                            + settled.published().size() + " of the batch published, "
                            + settled.dead().size()
                            + " set aside): " + rootMessage(settled.retry()),
                    settled.retry(),
                    false,
                    false);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
