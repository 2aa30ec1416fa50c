package dev.strata.quota;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.Topics;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.events.payload.ConnectionCreated;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.model.events.payload.KnowledgeCreated;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.events.payload.ThingUpdated;
import dev.strata.testing.TestServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds events the way ingest-service writes them and produces them to the real topic with a plain producer,
 * keyed by group id.
 */
final class QuotaEvents {

    static final String SOURCE = "/strata/test";

    private static KafkaProducer<String, byte[]> producer;

    private QuotaEvents() {}

    static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            TestServers.ensureStarted().kafkaBootstrap(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            5),
                    new StringSerializer(),
                    new ByteArraySerializer());
        }
        return producer;
    }

    /** Produces the events in order and waits until the broker has them all. */
    static void send(List<EventEnvelope> events) {
        List<Future<?>> acks = new ArrayList<>(events.size());
        for (EventEnvelope event : events) {
            acks.add(producer()
                    .send(new ProducerRecord<>(Topics.EVENTS, event.groupid(), EventEnvelopeCodec.toBytes(event))));
        }
        await(acks);
    }

    static void send(EventEnvelope... events) {
        send(List.of(events));
    }

    /** Produces records for a group in order (envelopes as bytes, or raw bytes as a broken producer would). */
    static void sendBytes(UUID group, List<byte[]> values) {
        List<Future<?>> acks = new ArrayList<>(values.size());
        for (byte[] value : values) {
            acks.add(producer().send(new ProducerRecord<>(Topics.EVENTS, group.toString(), value)));
        }
        await(acks);
    }

    /** Produces raw bytes for a group, as a broken producer would. */
    static void sendRaw(UUID group, byte[] value) {
        await(List.of(producer().send(new ProducerRecord<>(Topics.EVENTS, group.toString(), value))));
    }

    private static void await(List<Future<?>> acks) {
        try {
            for (Future<?> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    static EventEnvelope event(String type, UUID group, Instant time, Object data) {
        return EventEnvelope.of(
                UUID.randomUUID().toString(),
                SOURCE,
                type,
                time,
                null,
                group,
                EventEnvelopeCodec.mapper().valueToTree(data));
    }

    static EventEnvelope groupCreated(UUID group, String plan) {
        Instant now = TestClock.now();
        return event(EventType.GROUP_CREATED, group, now, new GroupChanged(group, "test group", plan, null, now));
    }

    static EventEnvelope planChanged(UUID group, String from, String to) {
        Instant now = TestClock.now();
        return event(EventType.GROUP_PLAN_CHANGED, group, now, new GroupChanged(group, "test group", to, from, now));
    }

    static EventEnvelope thingCreated(UUID group, String type, int propertiesBytes) {
        Instant now = TestClock.now();
        return event(
                EventType.THING_CREATED,
                group,
                now,
                new ThingCreated(
                        UUID.randomUUID(),
                        type,
                        "thing",
                        "draft",
                        EventEnvelopeCodec.mapper().createObjectNode(),
                        propertiesBytes,
                        now,
                        null));
    }

    static EventEnvelope thingCreated(UUID group, String type, int propertiesBytes, UUID batchId) {
        Instant now = TestClock.now();
        return event(
                EventType.THING_CREATED,
                group,
                now,
                new ThingCreated(
                        UUID.randomUUID(),
                        type,
                        "thing",
                        "draft",
                        EventEnvelopeCodec.mapper().createObjectNode(),
                        propertiesBytes,
                        now,
                        batchId));
    }

    static EventEnvelope thingUpdated(UUID group, int propertiesBytes, int previousPropertiesBytes) {
        Instant now = TestClock.now();
        return event(
                EventType.THING_UPDATED,
                group,
                now,
                new ThingUpdated(
                        UUID.randomUUID(), "video", Map.of(), propertiesBytes, previousPropertiesBytes, now, null));
    }

    static EventEnvelope connectionCreated(UUID group) {
        Instant now = TestClock.now();
        return event(
                EventType.CONNECTION_CREATED,
                group,
                now,
                new ConnectionCreated(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        "user",
                        UUID.randomUUID(),
                        "video",
                        "following",
                        null,
                        null,
                        null,
                        null,
                        now,
                        null));
    }

    static EventEnvelope knowledgeCreated(UUID group, int textBytes, int dimensions) {
        Instant now = TestClock.now();
        return event(
                EventType.KNOWLEDGE_CREATED,
                group,
                now,
                new KnowledgeCreated(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        "chunk",
                        "x".repeat(textBytes),
                        textBytes,
                        dimensions,
                        now,
                        null));
    }

    static EventEnvelope apiCalls(UUID group, long count, Instant time) {
        return event(EventType.API_CALL, group, time, Map.of("count", count));
    }

    static EventEnvelope batchImport(UUID group, UUID batchId, int success) {
        return event(
                EventType.BATCH_IMPORT,
                group,
                TestClock.now(),
                new BatchImported(batchId, "things", success, success, 0, null));
    }

    static EventEnvelope contentEvent(UUID group) {
        return event(EventType.CONTENT_EVENT, group, TestClock.now(), Map.of("metadata", Map.of("action", "viewed")));
    }
}
