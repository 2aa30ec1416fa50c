package dev.strata.metrics;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.Topics;
import dev.strata.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes envelopes to the event topic the way ingest's relay does: keyed by group id, acks from all. */
final class StreamWriter {

    private static KafkaProducer<String, byte[]> producer;

    private StreamWriter() {}

    static synchronized void send(List<EventEnvelope> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (EventEnvelope event : events) {
            records.add(new ProducerRecord<>(Topics.EVENTS, event.groupid(), EventEnvelopeCodec.toBytes(event)));
        }
        sendRecords(records);
    }

    /** Records under one key, in order: envelopes as bytes, or anything a broken producer might publish. */
    static void sendBytes(String key, List<byte[]> values) {
        sendRecords(values.stream()
                .map(value -> new ProducerRecord<>(Topics.EVENTS, key, value))
                .toList());
    }

    /** Anything at all, as a broken producer might publish it. */
    static void sendRaw(String key, byte[] value) {
        sendRecords(List.of(new ProducerRecord<>(Topics.EVENTS, key, value)));
    }

    private static synchronized void sendRecords(List<ProducerRecord<String, byte[]>> records) {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            TestServers.ensureStarted().kafkaBootstrap(),
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true,
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            5),
                    new StringSerializer(),
                    new ByteArraySerializer());
        }
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to " + Topics.EVENTS, e.getCause());
        }
    }
}
