package dev.strata.quota;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Replaces the service's clock in tests: the system clock until a test fixes or moves it, so a test can cross
 * a month boundary or a reservation's expiry. Tests that change it call {@link #reset()} afterwards.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    /** The test application's clock, so that test events are dated by the same time the service runs on. */
    private static volatile TestClock active;

    private volatile Instant fixed;
    private volatile Duration offset = Duration.ZERO;

    public TestClock() {
        active = this;
    }

    /** What the service's clock says now (the system clock before the application started). */
    static Instant now() {
        TestClock clock = active;
        return clock == null ? Instant.now() : clock.instant();
    }

    /** Stops time at {@code instant}. */
    public void set(Instant instant) {
        fixed = instant;
        offset = Duration.ZERO;
    }

    /** Moves time forward (fixed or running). */
    public void advance(Duration by) {
        if (fixed != null) {
            fixed = fixed.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    public void reset() {
        fixed = null;
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        Instant at = fixed;
        return at != null ? at : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
