package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Creates the event topic at start if it does not exist, or checks the one it finds ({@link TopicProvisioner}).
 * Every service does it, so whichever starts first wins and start order does not matter; brokers have topic
 * auto-creation off. Partitions, replication factor, {@code min.insync.replicas} and {@code retention.ms} come from
 * {@code strata.events.topic.*}, {@code max.message.bytes} from {@code strata.events.max-event-bytes}
 * ({@link EventRecordLimits}). Whether a finite retention is covered by the stream archive is said at start by the
 * services that rebuild from the stream (stream-archive's StreamArchiveCoverage).
 */
@ApplicationScoped
public class EventTopicInitializer {

    private static final Logger LOG = Logger.getLogger(EventTopicInitializer.class);

    private final Map<String, Object> kafkaConfig;
    private final EventStreamConfig.Topic config;
    private final TopicSpec spec;

    public EventTopicInitializer(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, EventStreamConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config.topic();
        this.spec = TopicSpec.of(
                Topics.EVENTS, config.topic(), new EventRecordLimits(config.maxEventBytes()).maxMessageBytes());
    }

    void onStart(@Observes StartupEvent event) {
        if (config.create()) {
            ensureTopic();
        }
    }

    /** Returns true when the topic exists afterwards; a broker that is down is reported by readiness, not here. */
    public boolean ensureTopic() {
        try {
            TopicProvisioner.ensure(kafkaConfig, spec);
            return true;
        } catch (ExecutionException e) {
            LOG.warnf(
                    "Could not create topic %s: %s", Topics.EVENTS, e.getCause().getMessage());
            return false;
        } catch (TimeoutException e) {
            LOG.warnf("Kafka did not answer while creating topic %s; readiness will report it", Topics.EVENTS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
