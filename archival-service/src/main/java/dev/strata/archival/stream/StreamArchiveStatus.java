package dev.strata.archival.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.model.events.Topics;
import dev.strata.streamarchive.StreamArchiveConfig;
import dev.strata.streamarchive.StreamManifest;
import dev.strata.support.messaging.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the stream archive holds against what the topic holds, partition by partition. */
@ApplicationScoped
public class StreamArchiveStatus {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(10);

    private final StreamSegmentStore segments;
    private final StreamArchiver archiver;
    private final StreamArchiveConfig config;
    private final Map<String, Object> kafkaConfig;

    public StreamArchiveStatus(
            StreamSegmentStore segments,
            StreamArchiver archiver,
            StreamArchiveConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.segments = segments;
        this.archiver = archiver;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    /**
     * One partition. {@code archivedFrom}/{@code archivedTo}: the offsets the archive holds, {@code [from, to)};
     * {@code topicStart}/{@code topicEnd}: the topic's; {@code lag}: records on the topic not archived yet;
     * {@code covered}: every record from offset 0 is on the topic or in the archive.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionView(
            int partition,
            Long archivedFrom,
            Long archivedTo,
            long segments,
            long records,
            long bytes,
            Long topicStart,
            Long topicEnd,
            Long lag,
            Boolean covered) {}

    /**
     * {@code archiver}: what this instance's archiver does ({@code archiving}; {@code standby} while another
     * replica archives; {@code retrying} after a failure, named in {@code lastError}; {@code off}).
     * {@code topicError}: why the topic's offsets are missing, when the broker did not answer.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(
            boolean enabled,
            String topic,
            String bucket,
            String prefix,
            String archiver,
            Instant archiverSince,
            String lastError,
            Instant lastErrorAt,
            Instant lastSegmentAt,
            Boolean covered,
            List<PartitionView> partitions,
            String topicError) {}

    private record TopicOffsets(Map<Integer, long[]> offsets, String error) {}

    public Uni<View> view() {
        Uni<TopicOffsets> topic =
                Uni.createFrom().item(this::topicOffsets).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return Uni.combine()
                .all()
                .unis(segments.summary(Topics.EVENTS), segments.lastWritten(Topics.EVENTS), topic)
                .with((summary, lastWritten, offsets) -> view(summary, lastWritten, offsets));
    }

    private View view(List<StreamManifest.Partition> summary, Instant lastWritten, TopicOffsets topic) {
        Map<Integer, StreamManifest.Partition> archived = new TreeMap<>();
        summary.forEach(p -> archived.put(p.partition(), p));
        Map<Integer, long[]> offsets = topic.offsets() == null ? Map.of() : topic.offsets();
        TreeMap<Integer, Boolean> all = new TreeMap<>();
        archived.keySet().forEach(p -> all.put(p, true));
        offsets.keySet().forEach(p -> all.put(p, true));
        List<PartitionView> partitions = new ArrayList<>();
        Boolean covered = topic.offsets() == null ? null : Boolean.TRUE;
        for (int partition : all.keySet()) {
            StreamManifest.Partition a = archived.get(partition);
            long[] t = offsets.get(partition);
            Boolean partitionCovered = null;
            Long lag = null;
            if (t != null) {
                partitionCovered = t[0] == 0 || (a != null && a.from() == 0 && a.to() >= t[0]);
                lag = Math.max(0, t[1] - (a == null ? t[0] : Math.max(a.to(), t[0])));
                covered = covered && partitionCovered;
            }
            partitions.add(new PartitionView(
                    partition,
                    a == null ? null : a.from(),
                    a == null ? null : a.to(),
                    a == null ? 0 : a.segments(),
                    a == null ? 0 : a.records(),
                    a == null ? 0 : a.bytes(),
                    t == null ? null : t[0],
                    t == null ? null : t[1],
                    lag,
                    partitionCovered));
        }
        StreamArchiver.State state = archiver.state();
        return new View(
                config.enabled(),
                Topics.EVENTS,
                config.bucket(),
                archiver.layout().topicPrefix(),
                state.state(),
                state.since(),
                state.lastError(),
                state.lastErrorAt(),
                lastWritten,
                covered,
                partitions,
                topic.error());
    }

    private TopicOffsets topicOffsets() {
        Map<String, Object> props = KafkaClientConfig.consumer(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "archival-service-stream-status");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_WAIT.toMillis());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, KAFKA_WAIT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, KAFKA_WAIT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_WAIT);
            Map<Integer, long[]> offsets = new TreeMap<>();
            partitions.forEach(p -> offsets.put(p.partition(), new long[] {beginning.get(p), end.get(p)}));
            return new TopicOffsets(offsets, null);
        } catch (KafkaException e) {
            return new TopicOffsets(null, "the broker did not answer: " + e.getMessage());
        }
    }
}
