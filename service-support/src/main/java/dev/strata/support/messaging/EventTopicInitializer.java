package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the event topic with its configured partition count if it does not exist. Every service does it, so
 * whichever starts first wins and start order does not matter; brokers have topic auto-creation off. The topic's
 * {@code max.message.bytes} comes from {@code strata.events.max-event-bytes} ({@link EventRecordLimits}); a topic
 * that exists with a lower one (created before the setting was raised) is raised to it, never lowered, so
 * services that disagree for a while cannot undo each other.
 */
@ApplicationScoped
public class EventTopicInitializer {

    private static final Logger LOG = Logger.getLogger(EventTopicInitializer.class);

    private final Map<String, Object> kafkaConfig;
    private final EventStreamConfig.Topic config;
    private final EventRecordLimits limits;

    public EventTopicInitializer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                 EventStreamConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config.topic();
        this.limits = new EventRecordLimits(config.maxEventBytes());
    }

    void onStart(@Observes StartupEvent event) {
        if (config.create()) {
            ensureTopic();
        }
    }

    /** Returns true when the topic exists afterwards; a broker that is down is reported by readiness, not here. */
    public boolean ensureTopic() {
        Map<String, Object> adminConfig = KafkaClientConfig.admin(kafkaConfig);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (AdminClient admin = AdminClient.create(adminConfig)) {
            NewTopic topic = new NewTopic(Topics.EVENTS, config.partitions(), config.replicationFactor())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(limits.maxMessageBytes())));
            try {
                admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
                LOG.infof("Created topic %s with %d partitions, records up to %d bytes", Topics.EVENTS,
                        config.partitions(), limits.maxMessageBytes());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                raiseMaxMessageBytes(admin);
            }
            return true;
        } catch (ExecutionException e) {
            LOG.warnf("Could not create topic %s: %s", Topics.EVENTS, e.getCause().getMessage());
            return false;
        } catch (TimeoutException e) {
            LOG.warnf("Kafka did not answer while creating topic %s; readiness will report it", Topics.EVENTS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Raises an existing topic's record size to what this service may publish, if it is lower. Where that is not
     * allowed, the broker refuses the largest events and the relay sets them aside (outbox_dead): said at start.
     */
    private void raiseMaxMessageBytes(AdminClient admin) throws TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        try {
            ConfigEntry current = admin.describeConfigs(List.of(resource)).all().get(20, TimeUnit.SECONDS)
                    .get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            long bytes = current == null || current.value() == null ? 0 : Long.parseLong(current.value());
            if (bytes >= limits.maxMessageBytes()) {
                return;
            }
            Map<ConfigResource, Collection<AlterConfigOp>> raise = Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(limits.maxMessageBytes())),
                    AlterConfigOp.OpType.SET)));
            admin.incrementalAlterConfigs(raise).all().get(20, TimeUnit.SECONDS);
            LOG.infof("Raised %s of topic %s from %d to %d bytes (strata.events.max-event-bytes=%d)",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Topics.EVENTS, bytes, limits.maxMessageBytes(),
                    limits.maxEventBytes());
        } catch (ExecutionException e) {
            LOG.warnf("Could not check or raise %s of topic %s to %d bytes (strata.events.max-event-bytes=%d): %s;"
                            + " the broker may refuse the largest events", TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Topics.EVENTS, limits.maxMessageBytes(), limits.maxEventBytes(), e.getCause().getMessage());
        }
    }
}
