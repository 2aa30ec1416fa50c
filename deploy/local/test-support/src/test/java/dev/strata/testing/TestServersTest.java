package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** The test servers are real: a Kafka round trip, an S3 put/get and SQL on the fresh database. */
class TestServersTest {

    @Test
    void shouldRoundTripCloudEventsThroughTheRealBroker() throws Exception {
        TestEndpoints servers = TestServers.ensureStarted();
        String topic = "round-trip-" + UUID.randomUUID();
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        UUID group = UUID.randomUUID();
        List<EventEnvelope> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        servers.kafkaBootstrap(),
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                EventEnvelope event = EventEnvelope.of(
                        UUID.randomUUID().toString(),
                        "/strata/test",
                        EventType.CONTENT_EVENT,
                        Instant.parse("2026-11-28T10:00:00Z").plusSeconds(i),
                        null,
                        group,
                        EventEnvelopeCodec.mapper().createObjectNode().put("n", i));
                RecordMetadata metadata = producer.send(
                                new ProducerRecord<>(topic, group.toString(), EventEnvelopeCodec.toBytes(event)))
                        .get();
                assertThat(metadata.offset()).isEqualTo(i);
                sent.add(event);
            }
        }

        List<EventEnvelope> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG, "round-trip",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < 5 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).isEqualTo(group.toString());
                    received.add(EventEnvelopeCodec.fromBytes(record.value()));
                }
            }
        }
        // One key, one partition: the group's order is kept.
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldPutAndGetObjectsOnTheRealS3Server() {
        byte[] body = "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8);
        String bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = TestS3.client()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(
                    p -> p.bucket(bucket).key("events/group=g/date=2025-01-01/part-1.ndjson"),
                    RequestBody.fromBytes(body));
            ResponseBytes<GetObjectResponse> read =
                    s3.getObjectAsBytes(g -> g.bucket(bucket).key("events/group=g/date=2025-01-01/part-1.ndjson"));
            assertThat(read.asByteArray()).isEqualTo(body);
            assertThat(read.response().contentLength()).isEqualTo(body.length);
            assertThat(read.response().contentEncoding()).isNull();
            assertThat(s3.listObjectsV2(l -> l.bucket(bucket).prefix("events/group=g/"))
                            .contents())
                    .extracting(o -> o.key())
                    .contains("events/group=g/date=2025-01-01/part-1.ndjson");
        }
    }

    @Test
    void shouldGiveTheTestJvmAFreshDatabase() throws Exception {
        TestEndpoints servers = TestServers.ensureStarted();
        assertThat(servers.jdbcUrl()).matches("jdbc:postgresql://.+/strata_test_[0-9a-f]{12}");
        try (Connection connection =
                        DriverManager.getConnection(servers.jdbcUrl(), servers.dbUser(), servers.dbPassword());
                Statement sql = connection.createStatement()) {
            try (ResultSet rs =
                    sql.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN"
                            + " ('pg_catalog', 'information_schema')")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            sql.execute("CREATE TABLE probe (id int PRIMARY KEY)");
            sql.execute("INSERT INTO probe VALUES (7)");
            try (ResultSet rs = sql.executeQuery("SELECT id FROM probe")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
    }
}
