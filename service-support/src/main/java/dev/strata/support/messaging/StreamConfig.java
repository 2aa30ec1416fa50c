package dev.strata.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** A service's event-stream consumer ({@link StreamConsumer}). */
@ConfigMapping(prefix = "strata.stream")
public interface StreamConfig {

    /** First wait after a transient failure (the database or the broker away); it doubles up to the maximum. */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    /** Longest wait between two tries of a transient failure. Tries go on for as long as the failure lasts. */
    @WithDefault("10s")
    Duration retryMaxBackoff();

    /**
     * Tries of a single record that failed for a reason of its own before it is quarantined: a failure that does
     * not repeat was not the record's.
     */
    @WithDefault("3")
    int attemptsBeforeQuarantine();

    /**
     * Largest record the consumer reads; a larger one is quarantined unread (Strata's producers never write one:
     * ingest refuses the item, the relay sets the row aside).
     */
    @WithDefault("1048576")
    int maxRecordBytes();
}
