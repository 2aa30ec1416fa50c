package dev.strata.quota.messaging;

import dev.strata.quota.config.QuotaConfig;
import dev.strata.support.messaging.RecentLags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event-to-counter lag of this replica, for benchmarks: for each event a committed batch counted, the time from
 * the event's {@code time} to the commit. Only the last {@code strata.quota.consumer.lag-batches} batches are
 * kept, in memory; another replica keeps its own. A benchmark that needs the lag over a whole load phase, however
 * many batches it takes, opens a {@linkplain #openWindow window} first: every event whose time is at or after the
 * opening (of one group, if the window names one: the stack may be shared) then goes into a histogram of whole
 * milliseconds (constant memory), so events already queued before it do not count. The window also tells how
 * much of the lag is spent after the topic, which separates the producer's part (its transaction, its outbox
 * relay) from quota's.
 */
@ApplicationScoped
public class UsageLag {

    private final RecentLags batches;
    private final Object lock = new Object();
    private long totalBatches;
    private long totalEvents;
    private Instant lastEventTime;
    private Window window;
    private final Map<Integer, Long> appliedThrough = new ConcurrentHashMap<>();

    @Inject
    public UsageLag(QuotaConfig config) {
        this(config.consumer().lagBatches());
    }

    public UsageLag(int keep) {
        this.batches = new RecentLags(keep);
    }

    /** What {@link #snapshot()} tells; the times are null before the first counted event. */
    public record Snapshot(
            long batchesApplied,
            long eventsApplied,
            int batchesKept,
            int eventsKept,
            Instant lastAppliedAt,
            Instant lastEventTime,
            Long p50Ms,
            Long p99Ms,
            Long maxMs) {}

    /**
     * What {@link #windowSnapshot()} tells: the event-to-counter lag of the window's events ({@code p50Ms} ...),
     * and the part of it after the topic ({@code fromTopicP50Ms} ...); figures are null while there is none.
     */
    public record WindowSnapshot(
            Instant openedAt,
            String groupId,
            long batches,
            long events,
            Long p50Ms,
            Long p99Ms,
            Long maxMs,
            Long fromTopicP50Ms,
            Long fromTopicP99Ms,
            Long fromTopicMaxMs) {}

    /** An event or a record as a window sees it: its group (null if unknown) and a time. */
    public record Stamp(String groupId, Instant time) {}

    /** Records a committed batch: {@code eventTimes} are the times of the events it counted (not duplicates). */
    public void record(Instant appliedAt, List<Instant> eventTimes) {
        record(appliedAt, eventTimes.stream().map(time -> new Stamp(null, time)).toList(), List.of());
    }

    /**
     * As above, with the groups of the counted events and, for a window's breakdown, every record of the batch
     * stamped with its Kafka timestamp (the producer's send).
     */
    public void record(Instant appliedAt, List<Stamp> events, List<Stamp> records) {
        synchronized (lock) {
            if (window != null) {
                window.add(appliedAt, events, records);
            }
            if (events.isEmpty()) {
                return;
            }
            long[] lags = new long[events.size()];
            Instant newest = events.get(0).time();
            for (int i = 0; i < lags.length; i++) {
                Instant time = events.get(i).time();
                lags[i] = appliedAt.toEpochMilli() - time.toEpochMilli();
                newest = time.isAfter(newest) ? time : newest;
            }
            batches.add(appliedAt, lags);
            lastEventTime = newest;
            totalBatches++;
            totalEvents += lags.length;
        }
    }

    /**
     * Records that this replica committed the effect of a partition's records up to {@code offset} (inclusive).
     * This replica's own; {@code stream_positions} is the consumers' (every replica's) committed figure.
     */
    public void appliedThrough(int partition, long offset) {
        appliedThrough.merge(partition, offset + 1, Math::max);
    }

    /** The next offset this replica will apply on {@code partition}, or null if it applied none there. */
    public Long nextToApply(int partition) {
        return appliedThrough.get(partition);
    }

    /** Starts a new window at {@code now} for one group (null: every group), dropping the previous one. */
    public Instant openWindow(Instant now, String groupId) {
        synchronized (lock) {
            window = new Window(now, groupId);
        }
        return now;
    }

    /** The window's figures so far; null if none was opened. */
    public WindowSnapshot windowSnapshot() {
        synchronized (lock) {
            return window == null ? null : window.snapshot();
        }
    }

    public Snapshot snapshot() {
        synchronized (lock) {
            RecentLags.Summary kept = batches.since(null);
            return new Snapshot(
                    totalBatches,
                    totalEvents,
                    kept.batches(),
                    kept.events(),
                    kept.lastCommittedAt(),
                    lastEventTime,
                    kept.percentile(50),
                    kept.percentile(99),
                    kept.max());
        }
    }

    /**
     * The lags of the events timed at or after the opening, and apart from them the part spent after the topic:
     * from each record's Kafka timestamp (the producer's send) to the commit, over every record of the batches.
     */
    private static final class Window {

        private final Instant openedAt;
        private final String groupId;
        private final Histogram events = new Histogram();
        private final Histogram fromTopic = new Histogram();
        private long batches;

        Window(Instant openedAt, String groupId) {
            this.openedAt = openedAt;
            this.groupId = groupId;
        }

        void add(Instant appliedAt, List<Stamp> counted, List<Stamp> records) {
            long before = events.count;
            counted.stream().filter(this::covers).forEach(e -> events.add(millisBetween(e.time(), appliedAt)));
            batches += events.count > before ? 1 : 0;
            records.stream().filter(this::covers).forEach(r -> fromTopic.add(millisBetween(r.time(), appliedAt)));
        }

        private boolean covers(Stamp stamp) {
            return !stamp.time().isBefore(openedAt) && (groupId == null || groupId.equals(stamp.groupId()));
        }

        WindowSnapshot snapshot() {
            return new WindowSnapshot(
                    openedAt,
                    groupId,
                    batches,
                    events.count,
                    events.rank(50),
                    events.rank(99),
                    events.max(),
                    fromTopic.rank(50),
                    fromTopic.rank(99),
                    fromTopic.max());
        }

        private static long millisBetween(Instant from, Instant to) {
            return to.toEpochMilli() - from.toEpochMilli();
        }
    }

    /**
     * Lags counted per whole millisecond, so a window of any length takes constant memory. A lag beyond
     * {@link #CAP_MS} counts as the cap in the percentiles (max stays exact); a negative one (a producer's clock
     * ahead of ours) counts as 0.
     */
    private static final class Histogram {

        static final int CAP_MS = 60_000;

        private final long[] counts = new long[CAP_MS + 1];
        private long count;
        private long max = Long.MIN_VALUE;

        void add(long lagMs) {
            counts[(int) Math.max(0, Math.min(lagMs, CAP_MS))]++;
            max = Math.max(max, lagMs);
            count++;
        }

        Long max() {
            return count == 0 ? null : max;
        }

        /** Nearest-rank percentile; null while empty. */
        Long rank(int p) {
            if (count == 0) {
                return null;
            }
            long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
            long seen = 0;
            for (int ms = 0; ms < counts.length; ms++) {
                seen += counts[ms];
                if (seen >= rank) {
                    return (long) ms;
                }
            }
            return (long) CAP_MS;
        }
    }
}
