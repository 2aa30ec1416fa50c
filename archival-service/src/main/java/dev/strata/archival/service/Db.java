package dev.strata.archival.service;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Runs and restores are long sequences of steps on their own worker thread, where waiting for each database
 * step in turn is the point (every step must be durable before the next S3 call). Never used on the event loop.
 */
final class Db {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private Db() {}

    static <T> T await(Uni<T> step) {
        return step.await().atMost(STEP_TIMEOUT);
    }
}
