package dev.strata.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.events.Topics;
import dev.strata.streamarchive.SegmentFormat;
import dev.strata.streamarchive.StreamLayout;
import dev.strata.streamarchive.StreamManifest;
import dev.strata.support.s3.S3Objects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * For services that read the stream archive but do not write it (quota-service, metrics-service): copies the event
 * topic up to its current end into the stream archive of the test JVM's S3 server, in stream-archive's layout and
 * format (one segment per partition per call, appended to what earlier calls archived), then deletes what was
 * archived from the topic, as retention deletes old segments. archival-service's own archiver is tested in its
 * module.
 */
public final class TopicArchive {

    public static final String BUCKET = "strata-archive";
    public static final StreamLayout LAYOUT = new StreamLayout("stream", Topics.EVENTS);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicArchive() {}

    /**
     * Where the archive of each partition ends after the call, how many records the call archived, and how many
     * the archive holds in all.
     */
    public record Archived(Map<TopicPartition, Long> to, long records, long total) {}

    public static Archived archiveTopic() {
        S3Client s3 = TestS3.client();
        S3Objects.ensureBucket(s3, BUCKET);
        ObjectNode manifest = manifest(s3);
        Map<Integer, ObjectNode> entries = new HashMap<>();
        manifest.withArray("partitions")
                .forEach(p -> entries.put(p.get("partition").asInt(), (ObjectNode) p));
        Map<TopicPartition, Long> to = new HashMap<>();
        long archived = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.pause(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                ObjectNode entry = entries.get(partition.partition());
                long from = entry == null
                        ? beginning.get(partition)
                        : entry.get("to").asLong();
                long until = end.get(partition);
                to.put(partition, Math.max(from, until));
                if (from >= until) {
                    continue;
                }
                consumer.seek(partition, from);
                consumer.resume(List.of(partition));
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                while (consumer.position(partition) < until) {
                    for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(500)).records(partition)) {
                        if (record.offset() < until) {
                            records.add(record);
                        }
                    }
                }
                consumer.pause(List.of(partition));
                if (records.isEmpty()) {
                    continue;
                }
                long segmentTo = records.get(records.size() - 1).offset() + 1;
                byte[] bytes = SegmentFormat.write(records);
                s3.putObject(
                        b -> b.bucket(BUCKET)
                                .key(LAYOUT.segmentKey(partition.partition(), from, segmentTo))
                                .metadata(Map.of("sha256", S3Objects.sha256(bytes))),
                        RequestBody.fromBytes(bytes));
                if (entry == null) {
                    entry = manifest.withArray("partitions").addObject();
                    entry.put("partition", partition.partition())
                            .put("from", from)
                            .put("segments", 0)
                            .put("records", 0)
                            .put("bytes", 0);
                }
                entry.put("to", segmentTo)
                        .put("segments", entry.get("segments").asLong() + 1)
                        .put("records", entry.get("records").asLong() + records.size())
                        .put("bytes", entry.get("bytes").asLong() + bytes.length);
                to.put(partition, segmentTo);
                archived += records.size();
            }
        }
        manifest.put("updatedAt", Instant.now().toString());
        writeManifest(s3, manifest);
        long total = 0;
        for (JsonNode entry : manifest.withArray("partitions")) {
            total += entry.get("records").asLong();
        }
        return new Archived(to, archived, total);
    }

    /** Deletes the records before {@code before} from the topic (its log start offsets move there). */
    public static void deleteFromTopic(Map<TopicPartition, Long> before) {
        Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
        before.forEach((partition, offset) -> deletions.put(partition, RecordsToDelete.beforeOffset(offset)));
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.ensureStarted().kafkaBootstrap()))) {
            admin.deleteRecords(deletions).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not delete records from the topic", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The manifest as stored (a JSON object), or a new empty one. */
    public static ObjectNode manifest(S3Client s3) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(LAYOUT.manifestKey()))
                    .asByteArray();
            return (ObjectNode) JSON.readTree(bytes);
        } catch (NoSuchKeyException e) {
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", StreamManifest.FORMAT).put("topic", Topics.EVENTS);
            manifest.putArray("partitions");
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeManifest(S3Client s3, JsonNode manifest) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(manifest);
            s3.putObject(
                    b -> b.bucket(BUCKET).key(LAYOUT.manifestKey()).contentType("application/json"),
                    RequestBody.fromBytes(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
