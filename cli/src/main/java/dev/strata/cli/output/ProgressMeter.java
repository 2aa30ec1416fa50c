package dev.strata.cli.output;

import java.time.Duration;

/**
 * Turns successive readings of a job (percent done, items done) into a rate and an ETA. Both are averages since the
 * first reading rather than since the last one: polls come every half second and a job writes in chunks, so a
 * per-poll rate would jump between zero and a burst.
 */
public final class ProgressMeter {

    /** Below this, a rate is a guess from one or two polls: the ETA stays unknown. */
    static final Duration SETTLE = Duration.ofMillis(900);

    private long startNanos;
    private double startPercent;
    private long startCount;
    private boolean started;

    /** One reading: where the job is, how fast it goes, and when it should end ({@code eta} null: unknown). */
    public record Reading(double percent, long count, double perSecond, Duration eta, Duration elapsed) {}

    public Reading read(long nowNanos, double percent, long count) {
        if (!started) {
            started = true;
            startNanos = nowNanos;
            startPercent = percent;
            startCount = count;
        }
        Duration elapsed = Duration.ofNanos(Math.max(0, nowNanos - startNanos));
        double seconds = elapsed.toNanos() / 1e9;
        double perSecond = seconds <= 0 ? 0 : Math.max(0, count - startCount) / seconds;
        Duration eta = null;
        double gained = percent - startPercent;
        if (percent >= 100) {
            eta = Duration.ZERO;
        } else if (elapsed.compareTo(SETTLE) >= 0 && gained > 0) {
            eta = Duration.ofMillis(Math.round(elapsed.toMillis() * (100 - percent) / gained));
        }
        return new Reading(percent, count, perSecond, eta, elapsed);
    }
}
