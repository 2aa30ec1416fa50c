package dev.strata.quota.messaging;

import dev.strata.quota.config.QuotaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Event-to-counter lag of this replica, for benchmarks: for each event a committed batch counted, the time from
 * the event's {@code time} to the commit. Only the last {@code strata.quota.consumer.lag-batches} batches are
 * kept, in memory; another replica keeps its own.
 */
@ApplicationScoped
public class AppliedLag {

    private final int keep;
    private final Deque<Batch> batches = new ArrayDeque<>();
    private long totalBatches;
    private long totalEvents;

    @Inject
    public AppliedLag(QuotaConfig config) {
        this(config.consumer().lagBatches());
    }

    public AppliedLag(int keep) {
        this.keep = keep;
    }

    private record Batch(Instant appliedAt, Instant newestEvent, long[] lagsMs) {
    }

    /** What {@link #snapshot()} tells; the times are null before the first counted event. */
    public record Snapshot(long batchesApplied, long eventsApplied, int batchesKept, int eventsKept,
                           Instant lastAppliedAt, Instant lastEventTime, Long p50Ms, Long p99Ms, Long maxMs) {
    }

    /** Records a committed batch: {@code eventTimes} are the times of the events it counted (not duplicates). */
    public void record(Instant appliedAt, List<Instant> eventTimes) {
        if (eventTimes.isEmpty()) {
            return;
        }
        long[] lags = new long[eventTimes.size()];
        Instant newest = eventTimes.get(0);
        for (int i = 0; i < lags.length; i++) {
            Instant time = eventTimes.get(i);
            lags[i] = appliedAt.toEpochMilli() - time.toEpochMilli();
            newest = time.isAfter(newest) ? time : newest;
        }
        synchronized (batches) {
            batches.addLast(new Batch(appliedAt, newest, lags));
            while (batches.size() > keep) {
                batches.removeFirst();
            }
            totalBatches++;
            totalEvents += lags.length;
        }
    }

    public Snapshot snapshot() {
        Batch[] kept;
        long batchCount;
        long eventCount;
        synchronized (batches) {
            kept = batches.toArray(Batch[]::new);
            batchCount = totalBatches;
            eventCount = totalEvents;
        }
        if (kept.length == 0) {
            return new Snapshot(batchCount, eventCount, 0, 0, null, null, null, null, null);
        }
        long[] all = Arrays.stream(kept).flatMapToLong(b -> Arrays.stream(b.lagsMs())).sorted().toArray();
        Batch last = kept[kept.length - 1];
        return new Snapshot(batchCount, eventCount, kept.length, all.length, last.appliedAt(), last.newestEvent(),
                percentile(all, 50), percentile(all, 99), all[all.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
