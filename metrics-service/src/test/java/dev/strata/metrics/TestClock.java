package dev.strata.metrics;

import io.quarkus.test.Mock;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's clock in tests: fixed at {@link #NOW}, a Wednesday, so week and month edges fall on known days.
 * A test may move it and must put it back.
 */
@Mock
@Singleton
public class TestClock extends Clock {

    public static final Instant NOW = Instant.parse("2026-06-17T12:00:00Z");

    private volatile Instant now = NOW;

    public void advance(Duration by) {
        now = NOW.plus(by);
    }

    public void reset() {
        now = NOW;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service works in UTC");
    }

    @Override
    public Instant instant() {
        return now;
    }
}
