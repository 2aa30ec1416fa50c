package dev.strata.metrics.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The clock that decides "now" for every window (this week, this month, active, the activity feed). A bean
 * rather than {@code Instant.now()} so tests can fix time and check window edges exactly.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
