package dev.strata.quota.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The clock that decides "now": the current month of api call quotas, reservation expiry. A bean rather than
 * {@code Instant.now()} so tests can move time across a month boundary or past a reservation's expiry.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
