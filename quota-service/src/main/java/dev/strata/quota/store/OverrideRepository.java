package dev.strata.quota.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An administrator's overrides of one group, read and changed as entities. The reads that combine them with plans
 * and counters on one connection (a group's usage, every group's, retention) are {@link OverrideStore}'s.
 */
@ApplicationScoped
public class OverrideRepository implements PanacheRepositoryBase<LimitOverride, LimitOverride.Key> {

    /** A group's overrides by metric name. */
    @WithSession
    public Uni<Map<String, Long>> forGroup(UUID groupId) {
        return list("groupId", groupId).map(OverrideRepository::byMetric);
    }

    /**
     * Sets the given limits and removes the overrides mapped to null, in the caller's transaction; answers the
     * group's overrides afterwards. Each limit is set by one upsert, so administrators changing the same override at
     * once never fail on its key: the last one wins.
     */
    public Uni<Map<String, Long>> apply(UUID groupId, Map<String, Long> changes, Instant now) {
        List<String> removed = changes.entrySet().stream()
                .filter(e -> e.getValue() == null)
                .map(Map.Entry::getKey)
                .toList();
        Uni<Long> delete = removed.isEmpty()
                ? Uni.createFrom().item(0L)
                : delete("groupId = ?1 and metric in ?2", groupId, removed);
        return delete.chain(() -> Multi.createFrom()
                        .iterable(changes.entrySet())
                        .filter(change -> change.getValue() != null)
                        .onItem()
                        .transformToUniAndConcatenate(change -> set(groupId, change.getKey(), change.getValue(), now))
                        .collect()
                        .asList())
                .chain(() -> list("groupId", groupId))
                .map(OverrideRepository::byMetric);
    }

    private Uni<Integer> set(UUID groupId, String metric, long limit, Instant now) {
        return getSession()
                .chain(session -> session.createMutationQuery("""
                        insert into LimitOverride (groupId, metric, limitValue, updatedAt)
                        values (:groupId, :metric, :limit, :now)
                        on conflict (groupId, metric)
                        do update set limitValue = excluded.limitValue, updatedAt = excluded.updatedAt""")
                        .setParameter("groupId", groupId)
                        .setParameter("metric", metric)
                        .setParameter("limit", limit)
                        .setParameter("now", now)
                        .executeUpdate());
    }

    private static Map<String, Long> byMetric(List<LimitOverride> overrides) {
        Map<String, Long> byMetric = new TreeMap<>();
        overrides.forEach(override -> byMetric.put(override.metric, override.limitValue));
        return byMetric;
    }
}
