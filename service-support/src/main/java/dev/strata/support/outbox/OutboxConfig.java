package dev.strata.support.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox relay of a service. */
@ConfigMapping(prefix = "strata.outbox")
public interface OutboxConfig {

    /** Events one relay transaction publishes. */
    @WithDefault("1000")
    int batchSize();

    /** How often an idle relay looks for new rows (a local write also wakes it at once). */
    @WithDefault("100ms")
    Duration pollInterval();

    /** Back-off after Kafka or the database failed. */
    @WithDefault("1s")
    Duration retryBackoff();

    /**
     * After how many published (deleted) rows the relay vacuums the outbox, so the queue table stays small even
     * where autovacuum is off or slow (more when the last vacuum found more rows waiting); 0 turns it off.
     */
    @WithDefault("50000")
    int vacuumEvery();

    /** Whether this replica runs a relay (any number of replicas may; they share the shards). */
    @WithDefault("false")
    boolean enabled();
}
