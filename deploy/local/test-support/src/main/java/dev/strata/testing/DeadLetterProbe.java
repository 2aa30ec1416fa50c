package dev.strata.testing;

import dev.strata.model.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A real Kafka consumer on the dead-letter topic, from its beginning, for tests of the quarantine. */
public final class DeadLetterProbe implements AutoCloseable {

    /** One dead letter: the original record's key and value, and its headers (the last value of each name). */
    public record DeadLetter(String key, byte[] value, Map<String, String> headers) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DeadLetter> seen = new ArrayList<>();

    public DeadLetterProbe() {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dead-letter-probe-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                        500),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.EVENTS_DLQ));
    }

    /** Polls until {@code expected} dead letters with the key have arrived (at least once: repeats count). */
    public List<DeadLetter> await(String key, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeadLetter> matching = matching(key);
        while (matching.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Map<String, String> headers = new HashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
                seen.add(new DeadLetter(record.key(), record.value(), headers));
            }
            matching = matching(key);
        }
        if (matching.size() < expected) {
            throw new AssertionError("expected " + expected + " dead letters with key " + key + " but saw "
                    + matching.size() + " within " + timeout);
        }
        return matching;
    }

    private List<DeadLetter> matching(String key) {
        return seen.stream().filter(letter -> key.equals(letter.key())).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
