package dev.strata.ingest.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The figures a progress bar of an import job shows, computed from the job's row and one "now" per request, so a
 * list of jobs is consistent with itself. Pure, so the arithmetic is tested without a service.
 */
final class ImportProgress {

    private ImportProgress() {}

    /**
     * The share of the body read, to 0.1 %: 100 only once the job succeeded, at most 99.9 before (the bytes read run
     * a buffer ahead of the items written, so they may reach the end before the last chunk commits).
     */
    static double percent(String status, long bytesRead, long bytes) {
        if ("succeeded".equals(status)) {
            return 100.0;
        }
        if (bytes == 0) {
            return 0.0;
        }
        return Math.min(99.9, Math.floor(bytesRead * 1000.0 / bytes) / 10.0);
    }

    /**
     * Items processed per second, to 0.01, from the start to the end (or to {@code now} while it has not ended):
     * null before the job started, or while no time has passed since.
     */
    static Double itemsPerSecond(long processed, Instant startedAt, Instant finishedAt, Instant now) {
        double seconds = seconds(startedAt, finishedAt, now);
        if (seconds <= 0) {
            return null;
        }
        return Math.round(processed * 100.0 / seconds) / 100.0;
    }

    /**
     * Seconds until the job ends if it goes on at the pace it has had: the time it has run times the share still
     * to read over the share read, rounded to the second. 0 once it ended (succeeded or failed); null while it is
     * not running, or running without a share read or a time to extrapolate from.
     */
    static Long etaSeconds(String status, double percent, Instant startedAt, Instant finishedAt, Instant now) {
        if (finishedAt != null) {
            return 0L;
        }
        double seconds = seconds(startedAt, null, now);
        if (!"running".equals(status) || seconds <= 0 || percent <= 0 || percent >= 100) {
            return null;
        }
        return Math.round(seconds * (100 - percent) / percent);
    }

    private static double seconds(Instant startedAt, Instant finishedAt, Instant now) {
        if (startedAt == null) {
            return 0;
        }
        Duration elapsed = Duration.between(startedAt, finishedAt != null ? finishedAt : now);
        return elapsed.getSeconds() + elapsed.getNano() / 1e9;
    }
}
