package dev.strata.archival.stream;

import dev.strata.archival.service.ArchivalMeters;
import dev.strata.archival.stream.StreamSegmentStore.Segment;
import dev.strata.model.events.Topics;
import dev.strata.streamarchive.SegmentFormat;
import dev.strata.streamarchive.StreamArchiveConfig;
import dev.strata.streamarchive.StreamArchiveStore;
import dev.strata.streamarchive.StreamLayout;
import dev.strata.streamarchive.StreamManifest;
import dev.strata.support.messaging.EventRecordLimits;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.messaging.KafkaClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Copies every record of the event topic to the stream archive, in order, exactly once, like a Kafka S3 sink.
 *
 * <p>One archiver writes at a time across replicas: the one holding a session advisory lock; the others stand by
 * and take over when its session ends. It reads the partitions it assigned itself (no consumer group) from where
 * the archive of each ends ({@code stream_segments}), gathers each partition's records into a segment, and closes
 * a segment after {@code strata.stream-archive.segment.*} records, bytes or time. Closing one stores the object
 * under its offset range, then records the row (only if the partition's archive still ends where the segment
 * starts), then rewrites the manifest. Exactly once follows: a row is recorded once per range; an object stored
 * without its row (the service stopped between the two) starts where the archive ends and is deleted when an
 * archiver next takes over, before anything is written there again; readers only follow the chain the manifest
 * names.
 *
 * <p>Any failure (S3, the database or the broker away) drops what is in memory, waits (1 s doubling to 30 s) and
 * starts again from the recorded ends, for as long as it lasts. Records the topic deleted before they were archived
 * are logged as an ERROR and the partition's archive starts a new chain, which rebuilds refuse to read past.
 */
@ApplicationScoped
public class StreamArchiver {

    private static final Logger LOG = Logger.getLogger(StreamArchiver.class);
    private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext('strata.stream-archiver'))";
    private static final Duration DB_WAIT = Duration.ofSeconds(30);
    private static final Duration STANDBY_WAIT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MANIFEST_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);

    /** What this instance's archiver is doing: {@code off}, {@code standby}, {@code archiving} or {@code retrying}. */
    public record State(String state, Instant since, String lastError, Instant lastErrorAt) {}

    private final Pool pool;
    private final StreamSegmentStore segments;
    private final StreamArchiveStore store;
    private final StreamArchiveConfig config;
    private final Map<String, Object> kafkaConfig;
    private final EventStreamConfig events;
    private final StreamLayout layout;
    private final ArchivalMeters meters;
    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile State state;

    public StreamArchiver(
            Pool pool,
            StreamSegmentStore segments,
            StreamArchiveStore store,
            StreamArchiveConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            EventStreamConfig events,
            ArchivalMeters meters) {
        this.pool = pool;
        this.segments = segments;
        this.store = store;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.events = events;
        this.meters = meters;
        this.layout = StreamLayout.of(config, Topics.EVENTS);
        this.state = new State("off", Instant.now(), null, null);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("The stream archive is off (strata.stream-archive.enabled=false)");
            return;
        }
        Thread worker = new Thread(this::run, "stream-archiver");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread worker = thread;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public State state() {
        return state;
    }

    public StreamLayout layout() {
        return layout;
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            Duration wait;
            try {
                boolean led = lead();
                wait = led ? Duration.ZERO : STANDBY_WAIT;
                backoff = Duration.ofSeconds(1);
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                if ("archiving".equals(state.state())
                        && state.since().isBefore(Instant.now().minus(MAX_BACKOFF))) {
                    backoff = Duration.ofSeconds(1); // it had been archiving: this failure is a new one
                }
                state = new State("retrying", Instant.now(), e.getMessage(), Instant.now());
                LOG.warnf(
                        "Stream archiver: %s; starting again from the archive's recorded ends in %s",
                        e.getMessage(), backoff);
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            if (!wait.isZero()) {
                LockSupport.parkNanos(wait.toNanos());
            }
        }
    }

    /** Archives while this instance holds the lock; false when another instance holds it. */
    private boolean lead() {
        SqlConnection session = pool.getConnection().await().atMost(DB_WAIT);
        try {
            boolean mine = session.preparedQuery(LOCK)
                    .execute()
                    .await()
                    .atMost(DB_WAIT)
                    .iterator()
                    .next()
                    .getBoolean(0);
            if (!mine) {
                if (!"standby".equals(state.state())) {
                    state = new State("standby", Instant.now(), state.lastError(), state.lastErrorAt());
                }
                return false;
            }
            store.ensureBucket();
            try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
                archive(session, consumer);
            }
            return true;
        } finally {
            session.close().await().atMost(DB_WAIT); // ends the session, and with it the lock
        }
    }

    private void archive(SqlConnection session, KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.EVENTS + " does not exist yet");
        }
        consumer.assign(partitions);
        Map<Integer, Long> recorded =
                segments.positions(session, Topics.EVENTS).await().atMost(DB_WAIT);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
        Map<Integer, Pending> pending = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long logStart = beginning.get(partition);
            Long archivedTo = recorded.get(partition.partition());
            long from;
            boolean newChain;
            if (archivedTo == null) {
                from = logStart;
                newChain = true;
            } else if (archivedTo < logStart) {
                LOG.errorf(
                        "Stream archive: offsets [%d, %d) of %s were deleted from the topic before they were"
                                + " archived (retention shorter than the archiver was away); its archive starts again"
                                + " at %d, and rebuilds cannot go past the gap",
                        archivedTo, logStart, partition, logStart);
                from = logStart;
                newChain = true;
            } else {
                from = archivedTo;
                newChain = false;
            }
            removeUnrecorded(partition.partition(), from);
            consumer.seek(partition, from);
            pending.put(partition.partition(), new Pending(from, newChain));
        }
        writeManifest();
        state = new State("archiving", Instant.now(), state.lastError(), state.lastErrorAt());
        LOG.infof(
                "Stream archiver: archiving %d partitions of %s to bucket %s under %s",
                partitions.size(), Topics.EVENTS, store.bucket(), layout.topicPrefix());

        long buffered = 0;
        boolean manifestDue = false;
        long lastManifest = System.nanoTime();
        long lastCheck = System.nanoTime();
        while (!stopping) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                buffered += pending.get(record.partition()).add(record);
            }
            long now = System.nanoTime();
            for (Map.Entry<Integer, Pending> entry : pending.entrySet()) {
                Pending segment = entry.getValue();
                if (segment.due(config.segment(), now)) {
                    buffered -= close(session, entry.getKey(), segment);
                    manifestDue = true;
                }
            }
            while (buffered > config.maxBufferedBytes()) {
                Map.Entry<Integer, Pending> largest = pending.entrySet().stream()
                        .max((a, b) -> Long.compare(a.getValue().bytes, b.getValue().bytes))
                        .orElseThrow();
                buffered -= close(session, largest.getKey(), largest.getValue());
                manifestDue = true;
            }
            if (manifestDue && now - lastManifest >= MANIFEST_INTERVAL.toNanos()) {
                writeManifest();
                manifestDue = false;
                lastManifest = now;
            }
            if (now - lastCheck >= CHECK_INTERVAL.toNanos()) {
                lastCheck = now;
                // The session holds the lock: if it is gone, so is the lock, and another archiver may be writing.
                session.query("SELECT 1").execute().await().atMost(DB_WAIT);
                if (consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30))
                                .size()
                        != partitions.size()) {
                    LOG.info("Stream archiver: the topic's partitions changed; assigning them again");
                    return;
                }
            }
        }
    }

    /** Closes a partition's segment: object, then row; returns the bytes it held. */
    private long close(SqlConnection session, int partition, Pending segment) {
        List<ConsumerRecord<byte[], byte[]>> records = segment.records;
        long from = segment.from;
        long to = records.get(records.size() - 1).offset() + 1;
        byte[] bytes = SegmentFormat.write(records);
        String key = layout.segmentKey(partition, from, to);
        String sha256 = store.putSegment(key, bytes, records.size());
        Segment row = new Segment(
                Topics.EVENTS,
                partition,
                from,
                to,
                records.size(),
                bytes.length,
                sha256,
                key,
                Instant.ofEpochMilli(records.get(0).timestamp()),
                Instant.ofEpochMilli(records.get(records.size() - 1).timestamp()));
        boolean recorded =
                segments.record(session, row, segment.newChain).await().atMost(DB_WAIT);
        if (!recorded) {
            store.delete(key);
            throw new IllegalStateException("partition " + partition + "'s archive no longer ends at offset " + from
                    + ": another archiver wrote it");
        }
        meters.segment(bytes.length);
        return segment.closed(to);
    }

    /** Deletes objects of a partition at or after where its archive ends: stored by a write whose row never was. */
    private void removeUnrecorded(int partition, long archivedTo) {
        for (StreamArchiveStore.StoredSegment stored : store.listSegments(layout, partition)) {
            if (stored.from() >= archivedTo) {
                LOG.infof("Stream archive: removing %s, stored by a write that did not finish", stored.key());
                store.delete(stored.key());
            }
        }
    }

    private void writeManifest() {
        List<StreamManifest.Partition> summary =
                segments.summary(Topics.EVENTS).await().atMost(DB_WAIT);
        store.writeManifest(layout, new StreamManifest(StreamManifest.FORMAT, Topics.EVENTS, Instant.now(), summary));
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = KafkaClientConfig.consumer(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions are assigned; where to go on is in the database
        props.putAll(new EventRecordLimits(events.maxEventBytes()).consumerConfig());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "archival-service-stream-archiver");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never jump silently: records deleted under the archiver fail the poll, and the next start says so.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The open segment of one partition. */
    private static final class Pending {
        long from;
        boolean newChain;
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long bytes;
        long openedNanos;

        Pending(long from, boolean newChain) {
            this.from = from;
            this.newChain = newChain;
        }

        long add(ConsumerRecord<byte[], byte[]> record) {
            if (records.isEmpty()) {
                openedNanos = System.nanoTime();
            }
            records.add(record);
            long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize()) + 64L;
            bytes += size;
            return size;
        }

        boolean due(StreamArchiveConfig.Segment limits, long now) {
            return !records.isEmpty()
                    && (records.size() >= limits.maxRecords()
                            || bytes >= limits.maxBytes()
                            || now - openedNanos >= limits.maxAge().toNanos());
        }

        long closed(long to) {
            long held = bytes;
            from = to;
            newChain = false;
            records = new ArrayList<>();
            bytes = 0;
            return held;
        }
    }
}
