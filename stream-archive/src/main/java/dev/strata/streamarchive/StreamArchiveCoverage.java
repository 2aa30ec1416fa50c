package dev.strata.streamarchive;

import dev.strata.model.events.Topics;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.messaging.KafkaClientConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * At start, in every service that rebuilds from the stream or writes its archive: when the topic keeps events for
 * a limited time ({@code strata.events.topic.retention-ms}), says whether the stream archive covers what the
 * topic has deleted. A WARN when it does not (no archive, or offsets neither holds), so an operator learns it
 * before a rebuild is refused. Checked off the start-up thread; a broker or S3 that is away is only noted.
 */
@ApplicationScoped
public class StreamArchiveCoverage {

    private static final Logger LOG = Logger.getLogger(StreamArchiveCoverage.class);

    private final Map<String, Object> kafkaConfig;
    private final EventStreamConfig events;
    private final StreamArchiveConfig config;
    private final ArchivedStream archive;

    public StreamArchiveCoverage(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            EventStreamConfig events,
            StreamArchiveConfig config,
            ArchivedStream archive) {
        this.kafkaConfig = kafkaConfig;
        this.events = events;
        this.config = config;
        this.archive = archive;
    }

    void onStart(@Observes StartupEvent event) {
        long retentionMs = events.topic().retentionMs();
        if (retentionMs < 0) {
            return;
        }
        if (!config.enabled()) {
            LOG.warnf(
                    "Topic %s keeps events for %s only (strata.events.topic.retention-ms=%d) and the stream archive"
                            + " is off (strata.stream-archive.enabled=false): once older segments are deleted, a"
                            + " rebuild of quota-service's or metrics-service's state is refused. Keep everything"
                            + " (-1) or turn the stream archive on.",
                    Topics.EVENTS, Duration.ofMillis(retentionMs), retentionMs);
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> check(retentionMs));
    }

    /** The problem with the archive's coverage of the topic, or null when it covers what the topic deleted. */
    public String gap() {
        Map<TopicPartition, Long> beginning;
        Map<String, Object> props = KafkaClientConfig.consumer(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "stream-archive-coverage");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
        }
        try {
            archive.plan(Topics.EVENTS, beginning);
            return null;
        } catch (StreamArchiveException e) {
            return e.getMessage();
        }
    }

    private void check(long retentionMs) {
        try {
            String gap = gap();
            if (gap != null) {
                LOG.warnf(
                        "Topic %s keeps events for %s only and the stream archive does not cover what it deleted: %s",
                        Topics.EVENTS, Duration.ofMillis(retentionMs), gap);
            } else {
                LOG.infof(
                        "Topic %s keeps events for %s; the stream archive (bucket %s) holds what it deleted, and"
                                + " rebuilds read it first",
                        Topics.EVENTS, Duration.ofMillis(retentionMs), config.bucket());
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not check that the stream archive covers topic %s (retention %s): %s",
                    Topics.EVENTS, Duration.ofMillis(retentionMs), e.getMessage());
        }
    }
}
