package dev.strata.archival.service;

import dev.strata.archival.store.LegalHoldStore;
import dev.strata.archival.store.LegalHoldStore.Hold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Per-group legal holds. While a group is on hold no run removes its archived objects for the archive's retention
 * (they stay in S3, listed as archived, and are expired by the first run after the hold is lifted). A restore still
 * may: it moves events back to the hot store and replaces the object, losing nothing.
 */
@ApplicationScoped
public class LegalHolds {

    private final Pool pool;
    private final LegalHoldStore holds;

    public LegalHolds(Pool pool, LegalHoldStore holds) {
        this.pool = pool;
        this.holds = holds;
    }

    /** The group's hold, or null. */
    public Uni<Hold> find(UUID groupId) {
        return holds.find(pool, groupId);
    }

    /**
     * Places the hold (or replaces its reason). Under the group's hold lock: a removal under way ends first, and
     * none starts after this commits.
     */
    public Uni<Hold> place(UUID groupId, String reason, String placedBy) {
        return pool.withTransaction(
                tx -> holds.lock(tx, groupId).chain(() -> holds.place(tx, groupId, reason, placedBy)));
    }

    /** Lifts the hold; true when there was one. */
    public Uni<Boolean> lift(UUID groupId) {
        return holds.lift(pool, groupId);
    }
}
