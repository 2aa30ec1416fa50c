package dev.strata.metrics.messaging;

import dev.strata.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Publication-to-projection lag of this replica's live consumer, for benchmarks and operators: for each record of
 * a committed batch, the time from its Kafka timestamp (when ingest's relay published it) to the commit that
 * applied it. It is the delay before a write shows up here, measured the way {@code _freshness.lagMs} is, but over
 * every record rather than a group's last one. Only the last {@code strata.metrics.lag-batches} batches are kept,
 * in memory; another replica keeps its own.
 */
@ApplicationScoped
public class ProjectionLag {

    private final int keep;
    private final Deque<Batch> batches = new ArrayDeque<>();

    @Inject
    public ProjectionLag(MetricsConfig config) {
        this(config.lagBatches());
    }

    public ProjectionLag(int keep) {
        this.keep = Math.max(1, keep);
    }

    private record Batch(Instant committedAt, long[] lagsMs) {
    }

    /**
     * The lag of the batches committed at or after {@code since} (all kept ones when null), in milliseconds by the
     * nearest-rank method; the percentiles are null when there is none.
     */
    public record Snapshot(Instant since, int batches, int events, Instant firstCommittedAt, Instant lastCommittedAt,
                           Long p50Ms, Long p95Ms, Long p99Ms, Long maxMs) {
    }

    /** Records a committed batch: {@code publishedAt} are its records' Kafka timestamps (null ones are skipped). */
    public void record(Instant committedAt, List<Instant> publishedAt) {
        long[] lags = publishedAt.stream().filter(p -> p != null)
                .mapToLong(p -> Math.max(0, committedAt.toEpochMilli() - p.toEpochMilli())).toArray();
        if (lags.length == 0) {
            return;
        }
        synchronized (batches) {
            batches.addLast(new Batch(committedAt, lags));
            while (batches.size() > keep) {
                batches.removeFirst();
            }
        }
    }

    public Snapshot snapshot(Instant since) {
        Batch[] kept;
        synchronized (batches) {
            kept = batches.stream().filter(b -> since == null || !b.committedAt().isBefore(since))
                    .toArray(Batch[]::new);
        }
        if (kept.length == 0) {
            return new Snapshot(since, 0, 0, null, null, null, null, null, null);
        }
        long[] all = Arrays.stream(kept).flatMapToLong(b -> Arrays.stream(b.lagsMs())).sorted().toArray();
        return new Snapshot(since, kept.length, all.length, kept[0].committedAt(), kept[kept.length - 1].committedAt(),
                percentile(all, 50), percentile(all, 95), percentile(all, 99), all[all.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
