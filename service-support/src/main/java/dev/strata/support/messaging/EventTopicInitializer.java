package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the event topic with its configured partition count if it does not exist. Every service does it, so
 * whichever starts first wins and start order does not matter; brokers have topic auto-creation off.
 */
@ApplicationScoped
public class EventTopicInitializer {

    private static final Logger LOG = Logger.getLogger(EventTopicInitializer.class);

    private final Map<String, Object> kafkaConfig;
    private final EventTopicConfig config;

    public EventTopicInitializer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                 EventTopicConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.create()) {
            ensureTopic();
        }
    }

    /** Returns true when the topic exists afterwards; a broker that is down is reported by readiness, not here. */
    public boolean ensureTopic() {
        Map<String, Object> adminConfig = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (AdminClient admin = AdminClient.create(adminConfig)) {
            NewTopic topic = new NewTopic(Topics.EVENTS, config.partitions(), config.replicationFactor());
            admin.createTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
            LOG.infof("Created topic %s with %d partitions", Topics.EVENTS, config.partitions());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return true;
            }
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
}
