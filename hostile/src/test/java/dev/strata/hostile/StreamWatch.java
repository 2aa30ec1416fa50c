package dev.strata.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import dev.strata.model.events.Topics;
import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything published on the event topic from a mark on, read by a consumer of the test's own (assigned to every
 * partition, no group): the api_call events of metering, which are allowed, and anything else, which a hostile
 * request must never cause.
 */
final class StreamWatch implements AutoCloseable {

    /** One record seen. {@code metering}: an api_call written by a service's meter (data.service, windowStart). */
    record Seen(String id, String type, String groupId, boolean metering, String source, String summary) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<Seen> seen = new ArrayList<>();
    private long lastSeenNanos = System.nanoTime();

    StreamWatch(String bootstrap) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Forgets what was read and watches from the end of the topic on. */
    void mark() {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        seen.clear();
        lastSeenNanos = System.nanoTime();
    }

    /** Reads whatever was published since the last call, up to the current end of every partition. */
    void drain() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the event topic up to its end within 30 s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(describe(record.value()));
                lastSeenNanos = System.nanoTime();
            }
        }
    }

    /** An api_call a service's meter wrote (a service and a window), not one a client posted. */
    private static boolean metered(EventEnvelope event) {
        try {
            ApiCallCounted calls = EventEnvelopeCodec.payload(event, ApiCallCounted.class);
            return calls.service() != null && calls.windowStart() != null;
        } catch (InvalidEventException e) {
            return false;
        }
    }

    private static Seen describe(byte[] value) {
        try {
            EventEnvelope event = EventEnvelopeCodec.fromBytes(value);
            JsonNode data = event.data();
            boolean metering = EventType.API_CALL.equals(event.type()) && metered(event);
            return new Seen(
                    event.id(),
                    event.type(),
                    event.groupid(),
                    metering,
                    event.source(),
                    RawHttp.abbreviate(String.valueOf(data), 160));
        } catch (IllegalArgumentException e) { // InvalidEventException among them
            return new Seen(null, "(unreadable)", null, false, null, e.getMessage());
        }
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** How long since the last record arrived (or since the mark). */
    Duration quietFor() {
        return Duration.ofNanos(System.nanoTime() - lastSeenNanos);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
