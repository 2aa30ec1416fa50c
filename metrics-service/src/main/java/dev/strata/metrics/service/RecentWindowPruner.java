package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.store.ProjectionWriter;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps the activity feed to its window. Only the feed shrinks: every count lives in rollups, so pruning (like
 * archival) never changes a statistic. Deletes go in slices so no transaction holds many row locks.
 */
@ApplicationScoped
public class RecentWindowPruner {

    private static final Logger LOG = Logger.getLogger(RecentWindowPruner.class);
    static final int SLICE = 5000;

    private final Pool pool;
    private final ProjectionWriter writer;
    private final Clock clock;
    private final MetricsConfig config;

    public RecentWindowPruner(Pool pool, ProjectionWriter writer, Clock clock, MetricsConfig config) {
        this.pool = pool;
        this.writer = writer;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(
            every = "${strata.metrics.prune-every:1h}",
            delayed = "${strata.metrics.prune-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune().invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Pruned %d events older than the %s activity window", n, config.recentWindow());
                    }
                })
                .replaceWithVoid();
    }

    /** Removes feed rows older than the window; returns how many. */
    public Uni<Long> prune() {
        Instant before = clock.instant().minus(config.recentWindow());
        return slice(before, 0);
    }

    private Uni<Long> slice(Instant before, long sofar) {
        return writer.pruneRecentEvents(pool, before, SLICE)
                .chain(n -> n < SLICE ? Uni.createFrom().item(sofar + n) : slice(before, sofar + n));
    }
}
