package dev.strata.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The event topic: how large one event on it may be, and how services create it when they find it missing
 * ({@link TopicProvisioner}; the dead-letter topic takes the same partitions, replication, min ISR and retention).
 */
@ConfigMapping(prefix = "strata.events")
public interface EventStreamConfig {

    /**
     * Largest event, counted as its CloudEvents JSON in UTF-8 (bytes; a control character in a text counts 6, as
     * JSON escapes it). ingest refuses an item whose event would be larger, and the relay's producer, the topic
     * and the consumers are sized from it ({@link EventRecordLimits}), so an event that was accepted is never
     * refused by Kafka. The default and the record around it stay under Kafka's own default of 1 MiB, so a topic
     * created before this setting existed takes it as it is.
     */
    @WithDefault("1000000")
    int maxEventBytes();

    Topic topic();

    interface Topic {

        /** Partitions of the topic: more than one, so consumers of each service can scale out. */
        @WithDefault("6")
        int partitions();

        /**
         * Replication factor; 1 for a single local broker, 3 in production. Set when a service creates the topic
         * (and the dead-letter topic); a topic found with another one is left as it is and named in a WARN at start.
         */
        @WithDefault("1")
        short replicationFactor();

        /**
         * The topic's {@code min.insync.replicas}: how many replicas hold an event before the relay's
         * {@code acks=all} producer is answered. 1 with one replica; 2 with 3, so one broker may be down without
         * stopping writes and an acknowledged event is always on two. At most the replication factor.
         */
        @WithDefault("1")
        int minInsyncReplicas();

        /**
         * The topic's {@code retention.ms}; -1 keeps every event, because consumers build their state by replaying
         * the topic from its beginning (rebuilds, a new consumer).
         */
        @WithDefault("-1")
        long retentionMs();

        /** Whether services create the topic at start-up (turn off where topics are provisioned by the platform). */
        @WithDefault("true")
        boolean create();
    }
}
