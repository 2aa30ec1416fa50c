package dev.strata.support.meters;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The last value a scheduled job read for a gauge, so that a scrape reads memory and never the database or the
 * broker. A value older than {@code staleAfter} (the job has failed since: the database or the broker away) reads
 * NaN, which Prometheus keeps and Grafana draws as a gap, rather than a figure that looks current and is not; so
 * does a value never read yet. Thread-safe.
 */
public final class PolledValue {

    private final long staleAfterNanos;
    private final LongSupplier nanoTime;
    private volatile Reading last;

    private record Reading(double value, long atNanos) {}

    public PolledValue(Duration staleAfter) {
        this(staleAfter, System::nanoTime);
    }

    /** {@code nanoTime}: the monotonic clock, for tests. */
    public PolledValue(Duration staleAfter, LongSupplier nanoTime) {
        this.staleAfterNanos = staleAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    public void set(double value) {
        last = new Reading(value, nanoTime.getAsLong());
    }

    /** The last value, or NaN when there is none or it is older than {@code staleAfter}. */
    public double get() {
        Reading reading = last;
        if (reading == null || nanoTime.getAsLong() - reading.atNanos() > staleAfterNanos) {
            return Double.NaN;
        }
        return reading.value();
    }
}
