package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/**
 * The event topic's settings as a deployment gives them to a service. They are set explicitly everywhere rather than
 * left to the services' defaults (replication 1, min ISR 1: right for one local broker only), so a deployment says
 * how durable its events are.
 */
record EventTopicSettings(int replicationFactor, int minInsyncReplicas, long retentionMs, int maxEventBytes) {

    static final String REPLICATION_FACTOR = "STRATA_EVENTS_TOPIC_REPLICATION_FACTOR";
    static final String MIN_INSYNC_REPLICAS = "STRATA_EVENTS_TOPIC_MIN_INSYNC_REPLICAS";
    static final String RETENTION_MS = "STRATA_EVENTS_TOPIC_RETENTION_MS";
    static final String MAX_EVENT_BYTES = "STRATA_EVENTS_MAX_EVENT_BYTES";
    static final List<String> VARIABLES =
            List.of(REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, RETENTION_MS, MAX_EVENT_BYTES);

    /** Reads them from a service's environment, failing when one is missing or not a number. */
    static EventTopicSettings of(String service, Map<String, String> env) {
        assertThat(env).as("environment of %s", service).containsKeys(VARIABLES.toArray(String[]::new));
        return new EventTopicSettings(
                number(env, REPLICATION_FACTOR),
                number(env, MIN_INSYNC_REPLICAS),
                Long.parseLong(env.get(RETENTION_MS).trim()),
                number(env, MAX_EVENT_BYTES));
    }

    private static int number(Map<String, String> env, String name) {
        assertThat(env.get(name)).as(name).matches("\\s*\\d+\\s*");
        return Integer.parseInt(env.get(name).trim());
    }
}
