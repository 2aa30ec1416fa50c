package dev.strata.quota.messaging;

import dev.strata.model.events.Topics;
import dev.strata.streamarchive.ArchivedStream;
import dev.strata.support.messaging.KafkaClientConfig;
import dev.strata.support.messaging.StreamRecord;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the whole event stream up to the end offsets found when it starts: what the topic no longer holds from the
 * stream archive ({@link ArchivedStream}), then the topic, with a short-lived consumer of its own (assigned
 * partitions, nothing committed), so the live consumer group is untouched. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class TopicReplayer {

    private static final int CHUNK = 5000;

    private final Map<String, Object> kafkaConfig;
    private final ArchivedStream archive;

    public TopicReplayer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ArchivedStream archive) {
        this.kafkaConfig = kafkaConfig;
        this.archive = archive;
    }

    /** {@code fromArchive}: how many of the {@code records} came from the stream archive. */
    public record Replayed(int partitions, long records, long fromArchive) {}

    /**
     * @param chunk receives the records in chunks, in offset order per partition
     * @param limit how long the whole replay may take
     * @throws dev.strata.streamarchive.StreamGapException when records are neither on the topic nor archived
     */
    public Replayed replay(Consumer<List<StreamRecord>> chunk, Duration limit) {
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            long deadline = System.nanoTime() + limit.toNanos();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            ArchivedStream.Plan plan =
                    archive.plan(Topics.EVENTS, consumer.beginningOffsets(partitions, Duration.ofSeconds(30)));
            long fromArchive = archive.replay(plan, end, CHUNK, chunk);
            plan.seek(consumer, end);
            Set<TopicPartition> remaining = new HashSet<>();
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition, Duration.ofSeconds(30)) < end.get(partition)) {
                    remaining.add(partition);
                }
            }
            long total = fromArchive;
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay did not reach the end offsets within " + limit);
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                List<StreamRecord> batch = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(partition)) {
                        batch.add(StreamRecord.of(record));
                    }
                }
                if (!batch.isEmpty()) {
                    chunk.accept(batch);
                    total += batch.size();
                }
                remaining.removeIf(partition -> consumer.position(partition) >= end.get(partition));
            }
            return new Replayed(partitions.size(), total, fromArchive);
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = KafkaClientConfig.consumer(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "quota-service-rebuild-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Every position is sought explicitly: an offset the topic no longer holds fails the replay, never skips.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CHUNK);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "quota-service-rebuild");
        props.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        props.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return props;
    }
}
