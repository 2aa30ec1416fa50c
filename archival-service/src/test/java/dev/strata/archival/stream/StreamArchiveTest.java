package dev.strata.archival.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.events.Topics;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestS3;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The stream archive against the real broker and S3 server: what is in S3 is read here with gzip and Jackson only
 * (not the service's reader) and compared with the topic read by a plain consumer.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class StreamArchiveTest {

    private static final String BUCKET = "strata-archive";
    private static final String PREFIX = "stream/" + Topics.EVENTS + "/";
    private static final Pattern SEGMENT =
            Pattern.compile(Pattern.quote(PREFIX) + "partition=(\\d+)/(\\d{20})-(\\d{20})\\.ndjson\\.gz");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CONTENT_TYPE = "application/cloudevents+json".getBytes(StandardCharsets.UTF_8);

    /** One archived line: the record's key and value bytes and its headers as written. */
    record Line(String key, byte[] value, JsonNode headers) {}

    @Test
    void shouldArchiveEveryRecordOfTheTopicOnceAndInOrderWithAManifest() {
        Map<String, byte[]> sent = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String group = UUID.randomUUID().toString();
                values.add(("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"n\":" + i
                                + ",\"text\":\"line\\nbreak \\u0000 é\"}")
                        .getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(new ProducerRecord<>(
                        Topics.EVENTS,
                        null,
                        group.getBytes(StandardCharsets.UTF_8),
                        values.get(i),
                        List.of(new RecordHeader("content-type", CONTENT_TYPE)))));
            }
            // What no consumer can apply is archived all the same, byte for byte.
            values.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, '{', '\n'});
            acks.add(producer.send(new ProducerRecord<>(Topics.EVENTS, null, values.get(values.size() - 1))));
            values.add(null);
            acks.add(producer.send(
                    new ProducerRecord<>(Topics.EVENTS, "tombstone".getBytes(StandardCharsets.UTF_8), null)));
            for (int i = 0; i < acks.size(); i++) {
                RecordMetadata ack = acks.get(i).get();
                sent.put(ack.partition() + "@" + ack.offset(), values.get(i));
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }

        JsonNode status = awaitCaughtUp();
        Map<Integer, TreeMap<Long, Line>> archive = readArchive(status);
        sent.forEach((position, value) -> {
            String[] at = position.split("@");
            Line line = archive.get(Integer.parseInt(at[0])).get(Long.parseLong(at[1]));
            assertThat(line).as("archived record at %s", position).isNotNull();
            assertThat(line.value()).isEqualTo(value);
            if (value != null && value.length > 0 && value[0] == '{') {
                assertThat(line.headers().path("content-type").asText()).isEqualTo(new String(CONTENT_TYPE));
            }
        });
        assertSameAsTopic(archive, status);

        JsonNode manifest = manifest();
        assertThat(manifest.path("format").asText()).isEqualTo("strata-stream-archive/1");
        for (JsonNode partition : status.path("partitions")) {
            int p = partition.path("partition").asInt();
            JsonNode entry = entryOf(manifest, p);
            long records = archive.getOrDefault(p, new TreeMap<>()).size();
            if (records == 0) {
                continue;
            }
            assertThat(entry.path("from").asLong()).isZero();
            assertThat(entry.path("to").asLong())
                    .isEqualTo(partition.path("archivedTo").asLong());
            assertThat(entry.path("records").asLong()).isEqualTo(records);
            assertThat(partition.path("covered").asBoolean()).isTrue();
        }
        assertThat(status.path("covered").asBoolean()).isTrue();
        assertReadableByDuckDb(archive, sent.size());
    }

    /** DuckDB reads the segments as they are: one row per record, the events' JSON in {@code value}. */
    private static void assertReadableByDuckDb(Map<Integer, TreeMap<Long, Line>> archive, int cloudEventsAtLeast) {
        long records = archive.values().stream().mapToLong(TreeMap::size).sum();
        long cloudEvents = archive.values().stream()
                .flatMap(lines -> lines.values().stream())
                .filter(line -> line.value() != null
                        && new String(line.value(), StandardCharsets.UTF_8).startsWith("{\"specversion\":\"1.0\""))
                .count();
        try {
            Path dir = Files.createTempDirectory("stream-archive");
            S3Client s3 = TestS3.client();
            for (S3Object object : s3.listObjectsV2Paginator(
                            b -> b.bucket(BUCKET).prefix(PREFIX))
                    .contents()) {
                if (SEGMENT.matcher(object.key()).matches()) {
                    Path file = dir.resolve(object.key());
                    Files.createDirectories(file.getParent());
                    Files.write(
                            file,
                            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key()))
                                    .asByteArray());
                }
            }
            String files = dir.resolve(PREFIX).toString().replace('\\', '/') + "/*/*.ndjson.gz";
            Class.forName("org.duckdb.DuckDBDriver");
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                    Statement sql = duck.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT (\"partition\", \"offset\")),"
                            + " count(*) FILTER (WHERE json_extract_string(\"value\", '$.specversion') = '1.0')"
                            + " FROM read_json_auto('" + files + "', format = 'newline_delimited')")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(records);
                assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
                assertThat(rs.getLong(3))
                        .isGreaterThanOrEqualTo(cloudEvents)
                        .isGreaterThanOrEqualTo(cloudEventsAtLeast - 2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRemoveAnObjectWhoseWriteDidNotFinishAndGoOnExactlyOnceAfterLosingItsSession() {
        JsonNode before = awaitCaughtUp();
        int partition = 1;
        long archivedTo = partitionOf(before, partition).path("archivedTo").asLong(0);
        // What a write cut short between the object and its row leaves: an object where the archive ends.
        S3Client s3 = TestS3.client();
        String orphan = PREFIX + "partition=" + partition + "/"
                + String.format("%020d-%020d", archivedTo, archivedTo + 7777) + ".ndjson.gz";
        s3.putObject(b -> b.bucket(BUCKET).key(orphan), RequestBody.fromBytes("not a segment".getBytes()));

        // The archiver's database session ends (as when its instance dies): another session takes over.
        assertThat(TestDatabase.scalar("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND classid = ((hashtext('strata.stream-archiver')::bigint >> 32) & 4294967295)::oid
                  AND objid = (hashtext('strata.stream-archiver')::bigint & 4294967295)::oid""")).isEqualTo(1L);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(
                        Topics.EVENTS, partition, null, ("{\"after\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
            }
        }

        JsonNode after = awaitCaughtUp();
        assertThat(partitionOf(after, partition).path("archivedTo").asLong()).isGreaterThanOrEqualTo(archivedTo + 100);
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(orphan)).contents())
                .isEmpty();
        assertSameAsTopic(readArchive(after), after);
    }

    /** Waits until every partition's archive reaches the topic's end, and returns the status then. */
    private static JsonNode awaitCaughtUp() {
        long[] end = endOffsets();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode status = JSON.readTree(given().auth()
                            .oauth2(TestTokens.admin())
                            .get("/archival/stream")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString());
                    assertThat(status.path("archiver").asText()).isEqualTo("archiving");
                    for (int p = 0; p < end.length; p++) {
                        if (end[p] > 0) {
                            assertThat(partitionOf(status, p).path("archivedTo").asLong())
                                    .as("partition %d", p)
                                    .isGreaterThanOrEqualTo(end[p]);
                        }
                    }
                    last[0] = status;
                });
        return last[0];
    }

    private static JsonNode partitionOf(JsonNode status, int partition) {
        for (JsonNode entry : status.path("partitions")) {
            if (entry.path("partition").asInt() == partition) {
                return entry;
            }
        }
        throw new AssertionError("no partition " + partition + " in " + status);
    }

    private static JsonNode entryOf(JsonNode manifest, int partition) {
        for (JsonNode entry : manifest.path("partitions")) {
            if (entry.path("partition").asInt() == partition) {
                return entry;
            }
        }
        return JSON.createObjectNode();
    }

    /**
     * Every segment object, read with gzip and Jackson: per partition, offset to line. Segments must chain from
     * offset 0 to where the status says the archive ends, and no offset may appear twice.
     */
    private static Map<Integer, TreeMap<Long, Line>> readArchive(JsonNode status) {
        S3Client s3 = TestS3.client();
        Map<Integer, TreeMap<Long, long[]>> segments = new HashMap<>();
        Map<String, long[]> keys = new HashMap<>();
        for (S3Object object :
                s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(PREFIX)).contents()) {
            Matcher matcher = SEGMENT.matcher(object.key());
            if (matcher.matches()) {
                long[] range = {Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))};
                assertThat(segments.computeIfAbsent(Integer.parseInt(matcher.group(1)), p -> new TreeMap<>())
                                .put(range[0], range))
                        .as("two segments start at %s", object.key())
                        .isNull();
                keys.put(object.key(), range);
            }
        }
        Map<Integer, TreeMap<Long, Line>> archive = new HashMap<>();
        for (JsonNode partition : status.path("partitions")) {
            int p = partition.path("partition").asInt();
            long archivedTo = partition.path("archivedTo").asLong(0);
            TreeMap<Long, Line> lines = new TreeMap<>();
            archive.put(p, lines);
            long cursor = 0;
            for (long[] range : segments.getOrDefault(p, new TreeMap<>()).values()) {
                if (range[0] >= archivedTo) {
                    break; // written after the status was read
                }
                assertThat(range[0]).as("partition %d: segments chain", p).isEqualTo(cursor);
                String key = PREFIX + "partition=" + p + "/" + String.format("%020d-%020d", range[0], range[1])
                        + ".ndjson.gz";
                byte[] bytes =
                        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
                long previous = range[0] - 1;
                for (JsonNode json : lines(bytes)) {
                    long offset = json.path("offset").asLong();
                    assertThat(json.path("partition").asInt()).isEqualTo(p);
                    assertThat(offset)
                            .as("offsets rise within %s", key)
                            .isGreaterThan(previous)
                            .isLessThan(range[1]);
                    previous = offset;
                    byte[] value = json.has("value")
                            ? json.get("value").asText().getBytes(StandardCharsets.UTF_8)
                            : json.has("valueBase64")
                                    ? Base64.getDecoder()
                                            .decode(json.get("valueBase64").asText())
                                    : null;
                    String recordKey = json.has("key") ? json.get("key").asText() : null;
                    assertThat(lines.put(offset, new Line(recordKey, value, json.get("headers"))))
                            .as("offset %d of partition %d archived twice", offset, p)
                            .isNull();
                }
                assertThat(previous).as("the last record of %s ends it", key).isEqualTo(range[1] - 1);
                cursor = range[1];
            }
            assertThat(cursor)
                    .as("partition %d: the segments reach where the archive ends", p)
                    .isEqualTo(archivedTo);
        }
        assertThat(keys).isNotEmpty();
        return archive;
    }

    /** The topic from offset 0 to where the archive ends, read by a plain consumer, equals the archive. */
    private static void assertSameAsTopic(Map<Integer, TreeMap<Long, Line>> archive, JsonNode status) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (JsonNode partition : status.path("partitions")) {
                int p = partition.path("partition").asInt();
                long archivedTo = partition.path("archivedTo").asLong(0);
                TopicPartition tp = new TopicPartition(Topics.EVENTS, p);
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                TreeMap<Long, Line> lines = archive.get(p);
                long read = 0;
                while (consumer.position(tp) < archivedTo) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.offset() >= archivedTo) {
                            continue;
                        }
                        Line line = lines.get(record.offset());
                        assertThat(line)
                                .as("record %d@%d is archived", p, record.offset())
                                .isNotNull();
                        assertThat(line.value()).isEqualTo(record.value());
                        assertThat(line.key())
                                .isEqualTo(
                                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
                        read++;
                    }
                }
                assertThat(lines)
                        .as("partition %d holds what the topic holds, no more", p)
                        .hasSize((int) read);
            }
        }
    }

    private static JsonNode manifest() {
        try {
            return JSON.readTree(TestS3.client()
                    .getObjectAsBytes(b -> b.bucket(BUCKET).key(PREFIX + "manifest.json"))
                    .asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> lines(byte[] gzip) {
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gzip)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static long[] endOffsets() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long[] offsets = new long[partitions.size()];
            end.forEach((tp, offset) -> offsets[tp.partition()] = offset);
            return offsets;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
