package dev.strata.support.messaging;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The lags of a consumer's last committed batches, in memory (each replica keeps its own): one array of
 * milliseconds per batch, the oldest batch dropped beyond {@code keep}. What the lag is measured from (an event's
 * time, a record's Kafka timestamp) is the caller's; this keeps the batches and reads nearest-rank percentiles
 * over them. Thread-safe.
 */
public final class RecentLags {

    private record Batch(Instant committedAt, long[] lagsMs) {}

    /** The kept batches a {@link #since} covered, with their lags sorted. */
    public record Summary(int batches, Instant firstCommittedAt, Instant lastCommittedAt, long[] sortedMs) {

        public int events() {
            return sortedMs.length;
        }

        /** Nearest-rank percentile; null when there is no lag. */
        public Long percentile(int p) {
            if (sortedMs.length == 0) {
                return null;
            }
            int rank = (int) Math.ceil(p / 100.0 * sortedMs.length);
            return sortedMs[Math.max(0, rank - 1)];
        }

        public Long max() {
            return sortedMs.length == 0 ? null : sortedMs[sortedMs.length - 1];
        }
    }

    private final int keep;
    private final Deque<Batch> batches = new ArrayDeque<>();

    public RecentLags(int keep) {
        this.keep = Math.max(1, keep);
    }

    /** Keeps a committed batch's lags; a batch without any (nothing measured) is not kept. */
    public synchronized void add(Instant committedAt, long[] lagsMs) {
        if (lagsMs.length == 0) {
            return;
        }
        batches.addLast(new Batch(committedAt, lagsMs));
        while (batches.size() > keep) {
            batches.removeFirst();
        }
    }

    /** The kept batches committed at or after {@code since} (all of them when null). */
    public Summary since(Instant since) {
        Batch[] kept;
        synchronized (this) {
            kept = batches.stream()
                    .filter(b -> since == null || !b.committedAt().isBefore(since))
                    .toArray(Batch[]::new);
        }
        if (kept.length == 0) {
            return new Summary(0, null, null, new long[0]);
        }
        long[] sorted = Arrays.stream(kept)
                .flatMapToLong(b -> Arrays.stream(b.lagsMs()))
                .sorted()
                .toArray();
        return new Summary(kept.length, kept[0].committedAt(), kept[kept.length - 1].committedAt(), sorted);
    }
}
