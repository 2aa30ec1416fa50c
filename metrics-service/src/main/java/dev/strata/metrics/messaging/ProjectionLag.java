package dev.strata.metrics.messaging;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.support.messaging.RecentLags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Publication-to-projection lag of this replica's live consumer, for benchmarks and operators: for each record of
 * a committed batch, the time from its Kafka timestamp (when ingest's relay published it) to the commit that
 * applied it. It is the delay before a write shows up here, measured the way {@code _freshness.lagMs} is, but over
 * every record rather than a group's last one. Only the last {@code strata.metrics.lag-batches} batches are kept,
 * in memory; another replica keeps its own.
 */
@ApplicationScoped
public class ProjectionLag {

    private final RecentLags batches;

    @Inject
    public ProjectionLag(MetricsConfig config) {
        this(config.lagBatches());
    }

    public ProjectionLag(int keep) {
        this.batches = new RecentLags(keep);
    }

    /**
     * The lag of the batches committed at or after {@code since} (all kept ones when null), in milliseconds by the
     * nearest-rank method; the percentiles are null when there is none.
     */
    @Schema(
            description = "This replica's projection lag: per event, from its Kafka publication to the commit that "
                    + "applied it, over the last batches (those committed at or after since, when given); percentiles by "
                    + "nearest rank, null when no batch qualifies",
            example = """
            {"since": "2026-06-17T11:00:00Z", "batches": 240, "events": 52000,
             "firstCommittedAt": "2026-06-17T11:00:02.118Z", "lastCommittedAt": "2026-06-17T11:59:58.940Z",
             "p50Ms": 21, "p95Ms": 48, "p99Ms": 55, "maxMs": 130}""")
    public record Snapshot(
            Instant since,
            int batches,
            int events,
            Instant firstCommittedAt,
            Instant lastCommittedAt,
            Long p50Ms,
            Long p95Ms,
            Long p99Ms,
            Long maxMs) {}

    /** Records a committed batch: {@code publishedAt} are its records' Kafka timestamps (null ones are skipped). */
    public void record(Instant committedAt, List<Instant> publishedAt) {
        batches.add(
                committedAt,
                publishedAt.stream()
                        .filter(p -> p != null)
                        .mapToLong(p -> Math.max(0, committedAt.toEpochMilli() - p.toEpochMilli()))
                        .toArray());
    }

    public Snapshot snapshot(Instant since) {
        RecentLags.Summary kept = batches.since(since);
        return new Snapshot(
                since,
                kept.batches(),
                kept.events(),
                kept.firstCommittedAt(),
                kept.lastCommittedAt(),
                kept.percentile(50),
                kept.percentile(95),
                kept.percentile(99),
                kept.max());
    }
}
