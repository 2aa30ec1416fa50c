package dev.strata.testing;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Kafka consumer on the event topic, reading from the beginning, for tests that count what reached the
 * stream. Records are kept per group (the record key), in the order they arrived.
 */
public final class EventStreamProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<EventEnvelope>> byGroup = new HashMap<>();
    private int unreadable;

    public EventStreamProbe() {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestServers.ensureStarted().kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "probe-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.EVENTS));
    }

    /** Polls until the group has {@code expected} events matching {@code filter}, then returns them. */
    public List<EventEnvelope> await(UUID groupId, Predicate<EventEnvelope> filter, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EventEnvelope> matching = matching(groupId, filter);
        while (matching.size() < expected && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
            matching = matching(groupId, filter);
        }
        if (matching.size() < expected) {
            throw new AssertionError("expected " + expected + " matching events for group " + groupId + " but saw "
                    + matching.size() + " within " + timeout);
        }
        return matching;
    }

    /**
     * Like {@link #await} but counts distinct event ids, for streams that may carry redeliveries (at least
     * once); returns the matching events as received, repeats included.
     */
    public List<EventEnvelope> awaitDistinct(
            UUID groupId, Predicate<EventEnvelope> filter, int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EventEnvelope> matching = matching(groupId, filter);
        while (matching.stream().map(EventEnvelope::id).distinct().count() < expected && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
            matching = matching(groupId, filter);
        }
        long distinct = matching.stream().map(EventEnvelope::id).distinct().count();
        if (distinct < expected) {
            throw new AssertionError("expected " + expected + " distinct matching events for group " + groupId
                    + " but saw " + distinct + " within " + timeout);
        }
        return matching;
    }

    /** Everything seen so far for the group, after polling for {@code settle} more. */
    public List<EventEnvelope> all(UUID groupId, Duration settle) {
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
        return List.copyOf(byGroup.getOrDefault(groupId.toString(), List.of()));
    }

    private List<EventEnvelope> matching(UUID groupId, Predicate<EventEnvelope> filter) {
        return byGroup.getOrDefault(groupId.toString(), List.of()).stream()
                .filter(filter)
                .toList();
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            EventEnvelope event;
            try {
                event = EventEnvelopeCodec.fromBytes(record.value());
            } catch (dev.strata.model.events.InvalidEventException e) {
                unreadable++; // some tests put broken records on the topic on purpose
                continue;
            }
            if (!record.key().equals(event.groupid())) {
                throw new AssertionError("record key " + record.key() + " is not the group of event " + event.id());
            }
            byGroup.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event);
        }
    }

    /** Records seen that are not CloudEvents of the contract. */
    public int unreadable() {
        return unreadable;
    }

    public static Predicate<EventEnvelope> ofType(String type) {
        return event -> event.type().equals(type);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
