package dev.strata.support.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * The one way Strata creates a topic or checks the one it finds (the event topic at start, the dead-letter topic at
 * the first quarantine). Brokers do not create topics on first use, and every replica of every service may get here
 * first, so creating is idempotent: a topic that exists is kept. Its replication factor, {@code min.insync.replicas}
 * and {@code retention.ms} are then compared with the configured ones and a difference is logged at WARN, never
 * altered: shrinking retention deletes events and changing replication is a reassignment, both an operator's
 * decision. Only {@code max.message.bytes} is raised when lower (never lowered), so that services whose limit was
 * raised are not refused their largest records, and services that disagree for a while cannot undo each other.
 */
public final class TopicProvisioner {

    /** What {@link #ensure} found. */
    public enum Outcome {
        CREATED,
        FOUND
    }

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final long WAIT_SECONDS = 20;

    private TopicProvisioner() {}

    /**
     * Creates the topic as specified, or checks the one that exists.
     *
     * @param kafkaConfig the service's Kafka configuration ({@code default-kafka-broker})
     * @throws ExecutionException the broker refused the creation (for another reason than the topic's existence)
     * @throws TimeoutException   the broker did not answer in time
     */
    public static Outcome ensure(Map<String, Object> kafkaConfig, TopicSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, Object> adminConfig = KafkaClientConfig.admin(kafkaConfig);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(adminConfig)) {
            NewTopic topic =
                    new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
            try {
                admin.createTopics(List.of(topic)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
                LOG.infof(
                        "Created topic %s: %d partitions, replication factor %d, min.insync.replicas %d,"
                                + " retention.ms %d, records up to %d bytes",
                        spec.name(),
                        spec.partitions(),
                        spec.replicationFactor(),
                        spec.minInsyncReplicas(),
                        spec.retentionMs(),
                        spec.maxMessageBytes());
                return Outcome.CREATED;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            check(admin, spec);
            return Outcome.FOUND;
        }
    }

    /** Warns about what differs from the configuration and raises max.message.bytes if it is lower. */
    private static void check(Admin admin, TopicSpec spec) throws TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config;
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(spec.name()))
                    .allTopicNames()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(spec.name());
            config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(resource);
        } catch (ExecutionException e) {
            LOG.warnf(
                    "Could not check topic %s against its configuration: %s; the broker may refuse the largest"
                            + " records",
                    spec.name(), e.getCause().getMessage());
            return;
        }
        int replicationFactor = description.partitions().stream()
                .mapToInt(p -> p.replicas().size())
                .min()
                .orElse(0);
        List<String> differences = differences(
                spec,
                replicationFactor,
                value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                value(config, TopicConfig.RETENTION_MS_CONFIG));
        if (!differences.isEmpty()) {
            LOG.warnf(
                    "Topic %s exists with %s; left as it is (an operator changes a topic's replication or"
                            + " retention, Strata does not)",
                    spec.name(), String.join(", ", differences));
        }
        String bytes = value(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        long current = bytes == null ? 0 : Long.parseLong(bytes);
        if (current < spec.maxMessageBytes()) {
            raiseMaxMessageBytes(admin, resource, spec, current);
        }
    }

    /**
     * What differs between the specification and an existing topic's replication factor (the smallest of its
     * partitions'), {@code min.insync.replicas} and {@code retention.ms} (its effective values, null if unknown),
     * each as "what it is (configured: what it should be)".
     */
    static List<String> differences(
            TopicSpec spec, int replicationFactor, String minInsyncReplicas, String retentionMs) {
        List<String> found = new ArrayList<>();
        if (replicationFactor != spec.replicationFactor()) {
            found.add("replication factor " + replicationFactor + " (configured: " + spec.replicationFactor()
                    + ", strata.events.topic.replication-factor)");
        }
        if (minInsyncReplicas == null || Integer.parseInt(minInsyncReplicas) != spec.minInsyncReplicas()) {
            found.add(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + " " + minInsyncReplicas + " (configured: "
                    + spec.minInsyncReplicas() + ", strata.events.topic.min-insync-replicas)");
        }
        if (retentionMs == null || Long.parseLong(retentionMs) != spec.retentionMs()) {
            found.add(TopicConfig.RETENTION_MS_CONFIG + " " + retentionMs + " (configured: " + spec.retentionMs()
                    + ", strata.events.topic.retention-ms)");
        }
        return found;
    }

    private static void raiseMaxMessageBytes(Admin admin, ConfigResource resource, TopicSpec spec, long current)
            throws TimeoutException, InterruptedException {
        Map<ConfigResource, Collection<AlterConfigOp>> raise = Map.of(
                resource,
                List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(spec.maxMessageBytes())),
                        AlterConfigOp.OpType.SET)));
        try {
            admin.incrementalAlterConfigs(raise).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
            LOG.infof(
                    "Raised %s of topic %s from %d to %d bytes",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, spec.name(), current, spec.maxMessageBytes());
        } catch (ExecutionException e) {
            // Where that is not allowed, the broker refuses the largest records (the relay sets them aside).
            LOG.warnf(
                    "Could not raise %s of topic %s from %d to %d bytes: %s; the broker may refuse the largest"
                            + " records",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    spec.name(),
                    current,
                    spec.maxMessageBytes(),
                    e.getCause().getMessage());
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }
}
