package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.local.FreePorts;
import dev.strata.local.KafkaCluster;
import dev.strata.support.messaging.TopicProvisioner;
import dev.strata.support.messaging.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three KRaft nodes keep a topic of replication 3 and min ISR 2 (created by service-support's
 * {@link TopicProvisioner}, as the event topic is) writable and whole while one node is killed:
 * an idempotent {@code acks=all} producer loses no record and doubles none, and each key keeps its order.
 */
class KafkaClusterTest {

    private static final String TOPIC = "cluster-check";
    private static final int KEYS = 20;
    private static final int ROUNDS = 20;
    private static final int PER_ROUND = 100;

    @TempDir
    Path dir;

    @Test
    void shouldLoseAndDoubleNoAcknowledgedRecordWhileOneNodeAtATimeIsKilled() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(dir, 3, FreePorts.consecutive(6), 3);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
                KafkaProducer<String, String> producer = producer(cluster)) {
            assertThat(cluster.nodes()).isEqualTo(3);
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            // Created as services create theirs: replication 3, min ISR 2 and retention on the topic itself.
            TopicSpec spec = new TopicSpec(TOPIC, 6, (short) 3, 2, -1, 1_048_576);
            Map<String, Object> kafka = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            assertThat(TopicProvisioner.ensure(kafka, spec)).isEqualTo(TopicProvisioner.Outcome.CREATED);
            assertThat(TopicProvisioner.ensure(kafka, spec)).isEqualTo(TopicProvisioner.Outcome.FOUND);
            assertThat(topicConfig(admin))
                    .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
                    .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
            Map<String, Integer> sent = new LinkedHashMap<>();

            produceWhileKilling(cluster, 1, producer, sent);
            assertThat(cluster.isAlive(1)).isFalse();
            assertThat(readAll(cluster)).isEqualTo(expected(sent));

            cluster.start(1);
            assertThat(cluster.isAlive(1)).isTrue();
            // The restarted node's replicas catch up before the next one goes, or min ISR 2 could not be met.
            await().atMost(Duration.ofSeconds(30)).until(() -> fullyInSync(admin));
            produceWhileKilling(cluster, 2, producer, sent);
            assertThat(cluster.isAlive(2)).isFalse();
            assertThat(readAll(cluster)).isEqualTo(expected(sent));
            assertThat(sent.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * ROUNDS * PER_ROUND);
        }
    }

    /**
     * Sends rounds of keyed records (a per-key sequence number as the value), killing the node in another thread
     * after a quarter of them, and requires every send to be acknowledged.
     */
    private static void produceWhileKilling(
            KafkaCluster cluster, int node, KafkaProducer<String, String> producer, Map<String, Integer> sent)
            throws Exception {
        CompletableFuture<Void> kill = null;
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (round == ROUNDS / 4) {
                kill = CompletableFuture.runAsync(() -> cluster.kill(node));
            }
            for (int i = 0; i < PER_ROUND; i++) {
                String key = "key-" + (i % KEYS);
                int sequence = sent.merge(key, 1, Integer::sum) - 1;
                acks.add(producer.send(new ProducerRecord<>(TOPIC, key, Integer.toString(sequence))));
            }
            producer.flush();
        }
        kill.get(30, TimeUnit.SECONDS);
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    private static Map<String, List<String>> expected(Map<String, Integer> sent) {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        sent.forEach((key, count) -> expected.put(
                key, IntStream.range(0, count).mapToObj(Integer::toString).toList()));
        return expected;
    }

    /** Every record of the topic, per key in the order read (a key's records are on one partition). */
    private static Map<String, List<String>> readAll(KafkaCluster cluster) {
        Map<String, List<String>> read = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
            }
        }
        return read;
    }

    /** The settings set on the topic itself (not the brokers' defaults). */
    private static Map<String, String> topicConfig(Admin admin) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        Map<String, String> set = new LinkedHashMap<>();
        admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource).entries().stream()
                .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .forEach(e -> set.put(e.name(), e.value()));
        return set;
    }

    private static boolean fullyInSync(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(TOPIC);
        return topic.partitions().stream().allMatch(p -> p.isr().size() == 3);
    }

    private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(),
                new StringSerializer());
    }
}
