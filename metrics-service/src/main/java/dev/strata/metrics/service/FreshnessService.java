package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.store.FreshnessStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Read-your-writes: a read that names an event ({@code ?position=}, the {@code position} ingest returns for a
 * batch) waits until that event is applied, checking with one primary-key lookup every poll interval, for at
 * most the configured timeout. The wait never blocks a thread, and uses the monotonic clock, not the business
 * clock, so a fixed clock cannot make it wait forever.
 */
@ApplicationScoped
public class FreshnessService {

    private final Pool pool;
    private final FreshnessStore store;
    private final Duration timeout;
    private final Duration poll;

    public FreshnessService(Pool pool, FreshnessStore store, MetricsConfig config) {
        this.pool = pool;
        this.store = store;
        this.timeout = config.readYourWritesTimeout();
        this.poll = config.readYourWritesPoll();
    }

    /** Waits for {@code position} (if given), then says where the group's projections stand. */
    public Uni<Freshness> await(UUID groupId, UUID position) {
        if (position == null) {
            return current(groupId, null, false);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        return waitFor(groupId, position.toString(), deadline)
                .chain(reached -> current(groupId, position.toString(), !reached));
    }

    private Uni<Boolean> waitFor(UUID groupId, String eventId, long deadline) {
        return store.isApplied(pool, groupId, eventId).chain(applied -> {
            if (applied) {
                return Uni.createFrom().item(true);
            }
            // Vert.x timers take whole milliseconds: less than one left means the wait is over.
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis < 1) {
                return Uni.createFrom().item(false);
            }
            return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(Duration.ofMillis(Math.min(leftMillis, Math.max(1, poll.toMillis()))))
                    .chain(() -> waitFor(groupId, eventId, deadline));
        });
    }

    private Uni<Freshness> current(UUID groupId, String requested, boolean stale) {
        return store.position(pool, groupId).map(p -> {
            if (p == null) {
                return new Freshness(null, null, null, stale, requested);
            }
            Long lag = p.publishedAt() == null
                    ? null
                    : Math.max(
                            0, Duration.between(p.publishedAt(), p.appliedAt()).toMillis());
            return new Freshness(p.eventId(), p.appliedAt(), lag, stale, requested);
        });
    }
}
