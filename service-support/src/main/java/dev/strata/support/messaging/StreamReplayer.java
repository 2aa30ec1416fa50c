package dev.strata.support.messaging;

import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one way a rebuild reads the event stream again: a short-lived consumer of its own (partitions assigned, no
 * group, nothing committed, so the live consumer is untouched) reads every partition up to the end offsets taken
 * when the replay opens, and hands the records in batches to the caller. What the topic no longer holds comes
 * first from an {@link Archive} (the stream archive). It leaves out what the live consumer leaves out
 * ({@link StreamConsumer}): the records it set aside ({@link ConsumerLog#setAside}) and those larger than
 * {@link StreamConfig#maxRecordBytes()}. Blocking: run it on a thread of its own or a worker thread.
 */
@ApplicationScoped
public class StreamReplayer {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final Duration DB_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What the topic no longer holds (retention deleted it): the stream archive. */
    public interface Archive {

        /**
         * Hands the records of each partition below the topic's {@code beginning} (and below {@code end}) to
         * {@code batch}, in offset order per partition, at most {@code batchSize} at a time; returns, for every
         * partition, the offset where reading the topic goes on. Refuses (throws) rather than skip records.
         */
        Map<TopicPartition, Long> replay(
                String topic,
                Map<TopicPartition, Long> beginning,
                Map<TopicPartition, Long> end,
                int batchSize,
                Consumer<List<StreamRecord>> batch);
    }

    private final Map<String, Object> kafkaConfig;
    private final String clientId;
    private final Pool pool;
    private final ConsumerLog consumerLog;
    private final StreamConfig config;

    public StreamReplayer(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "quarkus.application.name") String application,
            Pool pool,
            ConsumerLog consumerLog,
            StreamConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.clientId = application + "-rebuild";
        this.pool = pool;
        this.consumerLog = consumerLog;
        this.config = config;
    }

    /**
     * Assigns every partition of {@code topic}, takes its beginning and end offsets and positions the consumer at
     * the beginning. Close the replay when done.
     *
     * @param batchSize most records handed over at once
     */
    public Replay open(String topic, int batchSize) {
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(batchSize), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, KAFKA_WAIT)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, KAFKA_WAIT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_WAIT);
            beginning.forEach(consumer::seek);
            return new Replay(topic, batchSize, consumer, beginning, end);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private Map<String, Object> consumerConfig(int batchSize) {
        Map<String, Object> props = KafkaClientConfig.consumer(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Every position is sought explicitly: an offset the topic no longer holds fails the replay, never skips.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        return props;
    }

    /**
     * What a replay read so far ({@code fromArchive}: how many of the {@code records} came from the archive); the
     * {@code skipped} ones among them were left out as the live consumer leaves them out, the rest handed over.
     */
    public record Totals(long records, long fromArchive, long skipped) {}

    /** One replay of a topic. Its progress may be read from other threads while it runs. */
    public final class Replay implements AutoCloseable {

        private final String topic;
        private final int batchSize;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<TopicPartition, Long> beginning;
        private volatile Map<TopicPartition, Long> first;
        private volatile Map<TopicPartition, Long> targets;
        private volatile Map<TopicPartition, Long> positions;
        private volatile Totals totals = new Totals(0, 0, 0);
        private Duration limit;
        private long deadline = Long.MAX_VALUE;
        private Set<String> setAside;

        private Replay(
                String topic,
                int batchSize,
                KafkaConsumer<String, byte[]> consumer,
                Map<TopicPartition, Long> beginning,
                Map<TopicPartition, Long> end) {
            this.topic = topic;
            this.batchSize = batchSize;
            this.consumer = consumer;
            this.beginning = Map.copyOf(beginning);
            this.first = this.beginning;
            this.positions = this.beginning;
            this.targets = Map.copyOf(end);
        }

        /** Fails {@link #toEnd} when the replay takes longer, from now on. */
        public Replay within(Duration limit) {
            this.limit = limit;
            this.deadline = System.nanoTime() + limit.toNanos();
            return this;
        }

        public int partitions() {
            return beginning.size();
        }

        /** The first offset of each partition the replay reads (from the archive or the topic). */
        public Map<TopicPartition, Long> firstOffsets() {
            return first;
        }

        /** The offsets {@link #toEnd} reads up to (excluded). */
        public Map<TopicPartition, Long> targets() {
            return targets;
        }

        /** The next offset to read of each partition. */
        public Map<TopicPartition, Long> positions() {
            return positions;
        }

        public Totals totals() {
            return totals;
        }

        /**
         * Reads from the archive what the topic no longer holds, below the targets, and positions the consumer
         * where the topic's part of each partition begins.
         */
        public void fromArchive(Archive archive, Consumer<List<StreamRecord>> batch) {
            Map<TopicPartition, Long> firstRead = new HashMap<>(beginning);
            Map<TopicPartition, Long> topicFrom = archive.replay(topic, beginning, targets, batchSize, records -> {
                for (StreamRecord record : records) {
                    firstRead.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
                }
                handOver(records, batch, true);
            });
            first = Map.copyOf(firstRead);
            Map<TopicPartition, Long> at = new HashMap<>();
            for (TopicPartition partition : beginning.keySet()) {
                long from =
                        Math.min(topicFrom.getOrDefault(partition, beginning.get(partition)), targets.get(partition));
                consumer.seek(partition, from);
                at.put(partition, from);
            }
            positions = Map.copyOf(at);
        }

        /** Reads the topic up to the targets; returns the positions reached. */
        public Map<TopicPartition, Long> toEnd(Consumer<List<StreamRecord>> batch) {
            setAside = null; // what the live consumer set aside meanwhile stays out too
            while (!reached()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("the replay of " + topic + " was interrupted");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the replay of " + topic + " did not reach the end offsets within " + limit);
                }
                ConsumerRecords<String, byte[]> polled = consumer.poll(POLL);
                List<StreamRecord> records = new ArrayList<>(polled.count());
                for (ConsumerRecord<String, byte[]> record : polled) {
                    if (record.offset() < targets.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(StreamRecord.of(record));
                    }
                }
                handOver(records, batch, false);
            }
            // A poll may have fetched records at or past a target; they were not handed over, so the position goes
            // back to the target: a catch-up pass (extendToEnd) reads them, and the positions reported never
            // claim a record that was not applied.
            Map<TopicPartition, Long> reachedAt = new HashMap<>();
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                if (consumer.position(target.getKey(), KAFKA_WAIT) > target.getValue()) {
                    consumer.seek(target.getKey(), target.getValue());
                }
                reachedAt.put(target.getKey(), target.getValue());
            }
            positions = Map.copyOf(reachedAt);
            return positions;
        }

        /** Moves the targets to the topic's end offsets now, for a catch-up {@link #toEnd}. */
        public Map<TopicPartition, Long> extendToEnd() {
            targets = Map.copyOf(consumer.endOffsets(beginning.keySet(), KAFKA_WAIT));
            return targets;
        }

        private boolean reached() {
            Map<TopicPartition, Long> now = new HashMap<>();
            boolean reached = true;
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                long position = consumer.position(target.getKey(), KAFKA_WAIT);
                now.put(target.getKey(), position);
                reached &= position >= target.getValue();
            }
            positions = Map.copyOf(now);
            return reached;
        }

        private void handOver(List<StreamRecord> records, Consumer<List<StreamRecord>> batch, boolean archived) {
            if (records.isEmpty()) {
                return;
            }
            if (setAside == null) {
                setAside = consumerLog.setAside(pool).await().atMost(DB_WAIT);
            }
            List<StreamRecord> kept = readable(records, setAside, config.maxRecordBytes());
            if (!kept.isEmpty()) {
                batch.accept(kept);
            }
            Totals was = totals;
            totals = new Totals(
                    was.records() + records.size(),
                    was.fromArchive() + (archived ? records.size() : 0),
                    was.skipped() + records.size() - kept.size());
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * The records a replay hands over: not set aside by the live consumer (by {@link StreamRecord#position()}),
     * and not larger than it reads.
     */
    static List<StreamRecord> readable(List<StreamRecord> records, Set<String> setAside, int maxRecordBytes) {
        List<StreamRecord> kept = new ArrayList<>(records.size());
        for (StreamRecord record : records) {
            if (record.size() <= maxRecordBytes && !setAside.contains(record.position())) {
                kept.add(record);
            }
        }
        return kept;
    }
}
