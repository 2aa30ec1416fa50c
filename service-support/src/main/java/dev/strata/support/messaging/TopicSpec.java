package dev.strata.support.messaging;

import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What one of Strata's topics is to be, as {@link TopicProvisioner} creates it: the durability settings are set on
 * the topic itself rather than left to the brokers' defaults, so the topic is the same whichever cluster it lands on.
 *
 * @param minInsyncReplicas replicas that must hold a write before an {@code acks=all} producer (the relay, the
 *                          dead letters) is answered; with fewer in sync the topic refuses writes rather than
 *                          keeping them on one disk
 * @param retentionMs       {@code retention.ms}; -1 keeps every record, since consumers rebuild by replaying
 */
public record TopicSpec(
        String name,
        int partitions,
        short replicationFactor,
        int minInsyncReplicas,
        long retentionMs,
        int maxMessageBytes) {

    public TopicSpec {
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("topic " + name + ": strata.events.topic.min-insync-replicas ("
                    + minInsyncReplicas + ") must be from 1 to strata.events.topic.replication-factor ("
                    + replicationFactor + ")");
        }
        if (retentionMs < -1 || retentionMs == 0) {
            throw new IllegalArgumentException("topic " + name + ": strata.events.topic.retention-ms must be -1"
                    + " (keep everything) or positive, not " + retentionMs);
        }
    }

    /** A topic with the partitions, replication, min ISR and retention of the event topic's configuration. */
    public static TopicSpec of(String name, EventStreamConfig.Topic config, int maxMessageBytes) {
        return new TopicSpec(
                name,
                config.partitions(),
                config.replicationFactor(),
                config.minInsyncReplicas(),
                config.retentionMs(),
                maxMessageBytes);
    }

    /** The topic-level configuration it is created with. */
    public Map<String, String> configs() {
        return Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas),
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    }
}
