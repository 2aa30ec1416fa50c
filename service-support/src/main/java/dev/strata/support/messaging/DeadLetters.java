package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes quarantined records to {@link Topics#EVENTS_DLQ}, with SmallRye Kafka's dead-letter headers
 * ({@code dead-letter-reason}, {@code -topic}, {@code -partition}, {@code -offset}, {@code -exception-class-name})
 * plus {@code dead-letter-kind} and {@code dead-letter-consumer}. A record is sent once its quarantine has
 * committed ({@code rejected_events} is the ledger): a broker away delays the consumer until it is back, a crash
 * in between leaves the record in the table only, and a retry may send it twice (the headers say which record
 * it is). A record larger
 * than the dead-letter topic takes goes without its value ({@code dead-letter-value-omitted}: its size); the
 * consumer's {@code rejected_events} keeps every byte. A refusal that no retry changes is logged and does not hold
 * the consumer up; a broker that is away is a transient failure of the quarantine, retried.
 */
@ApplicationScoped
public class DeadLetters {

    /** Largest record the dead-letter topic and its producer take whole. */
    public static final int MAX_VALUE_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final Map<String, Object> kafkaConfig;
    private final EventStreamConfig topicConfig;
    private volatile KafkaProducer<String, byte[]> producer;

    public DeadLetters(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, EventStreamConfig topicConfig) {
        this.kafkaConfig = kafkaConfig;
        this.topicConfig = topicConfig;
    }

    /** A record set aside, why, and by which consumer group. */
    public record Letter(StreamRecord record, String kind, String reason, String exceptionClass, String consumer) {}

    /**
     * Sends the letter and waits for the broker's acknowledgement. Fails only while the broker cannot be reached
     * (a transient failure: the quarantine is tried again); anything else is logged and the letter is dropped.
     */
    public Uni<Void> send(Letter letter) {
        return Uni.createFrom()
                .item(() -> {
                    try {
                        producer().send(record(letter)).get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RetriableException) {
                            throw new IllegalStateException(e.getCause());
                        }
                        refused(letter, e.getCause());
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new org.apache.kafka.common.errors.TimeoutException("dead-letter send timed out", e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new org.apache.kafka.common.errors.InterruptException(e);
                    } catch (RetriableException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        refused(letter, e);
                    }
                    return null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    private static void refused(Letter letter, Throwable cause) {
        LOG.errorf(
                "The dead-letter topic %s did not take %s (it is kept in rejected_events): %s",
                Topics.EVENTS_DLQ, letter.record().position(), cause);
    }

    private static ProducerRecord<String, byte[]> record(Letter letter) {
        StreamRecord record = letter.record();
        boolean whole = record.size() <= MAX_VALUE_BYTES - 64 * 1024;
        ProducerRecord<String, byte[]> out =
                new ProducerRecord<>(Topics.EVENTS_DLQ, record.key(), whole ? record.value() : null);
        header(out, "dead-letter-reason", letter.reason());
        header(out, "dead-letter-kind", letter.kind());
        header(out, "dead-letter-exception-class-name", letter.exceptionClass());
        header(out, "dead-letter-topic", record.topic());
        header(out, "dead-letter-partition", Integer.toString(record.partition()));
        header(out, "dead-letter-offset", Long.toString(record.offset()));
        header(out, "dead-letter-consumer", letter.consumer());
        if (!whole) {
            header(out, "dead-letter-value-omitted", Integer.toString(record.size()));
        }
        return out;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    ensureTopic();
                    Map<String, Object> props = KafkaClientConfig.producer(kafkaConfig);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_VALUE_BYTES);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "strata-dead-letters-" + java.util.UUID.randomUUID());
                    current = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                    producer = current;
                }
            }
        }
        return current;
    }

    /**
     * Brokers do not create topics on first use: the first quarantine creates the dead-letter topic, with the event
     * topic's partitions, replication, min ISR and retention.
     */
    private void ensureTopic() {
        try {
            TopicProvisioner.ensure(kafkaConfig, TopicSpec.of(Topics.EVENTS_DLQ, topicConfig.topic(), MAX_VALUE_BYTES));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("creating " + Topics.EVENTS_DLQ, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        KafkaProducer<String, byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
