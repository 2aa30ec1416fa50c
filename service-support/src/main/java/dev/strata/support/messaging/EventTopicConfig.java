package dev.strata.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the event topic is created when a service finds it missing. */
@ConfigMapping(prefix = "strata.events.topic")
public interface EventTopicConfig {

    /** Partitions of the topic: more than one, so consumers of each service can scale out. */
    @WithDefault("6")
    int partitions();

    /** Replication factor; 1 for a single local broker, 3 in production. */
    @WithDefault("1")
    short replicationFactor();

    /** Whether services create the topic at start-up (turn off where topics are provisioned by the platform). */
    @WithDefault("true")
    boolean create();
}
