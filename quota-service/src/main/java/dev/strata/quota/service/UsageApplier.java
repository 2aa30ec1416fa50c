package dev.strata.quota.service;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.QuotaThresholdCrossed;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.ontology.Ontology;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.messaging.UsageEventDecoder.Decoded;
import dev.strata.quota.messaging.UsageEventDecoder.UsageEvent;
import dev.strata.quota.store.CounterStore;
import dev.strata.quota.store.CounterStore.CounterKey;
import dev.strata.quota.store.GroupPlanStore;
import dev.strata.quota.store.OverrideStore;
import dev.strata.quota.store.ReservationStore;
import dev.strata.quota.store.Tables;
import dev.strata.quota.store.ThresholdStore;
import dev.strata.quota.store.ThresholdStore.Crossing;
import dev.strata.support.messaging.ConsumerLog;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a batch of events in the caller's transaction, exactly once: the batch's ids go into the applied set
 * with one statement and only the ids that were new are counted; their deltas are summed in Java and written
 * with one upsert. On the live tables it also settles reservations and records threshold crossings, whose
 * events go into the outbox in the same transaction.
 */
@ApplicationScoped
public class UsageApplier {

    /** Advisory lock class of quota-service; key {@link #APPLY_GATE} is shared by appliers, exclusive to a rebuild. */
    public static final int LOCK_CLASS = 74202;

    public static final int APPLY_GATE = 1;

    private final ConsumerLog applied;
    private final CounterStore counters;
    private final GroupPlanStore groups;
    private final OverrideStore overrides;
    private final ReservationStore reservations;
    private final ThresholdStore thresholds;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final PlanCatalog catalog;
    private final Ontology ontology;
    private final Clock clock;
    private final int keepMonths;

    public UsageApplier(
            ConsumerLog applied,
            CounterStore counters,
            GroupPlanStore groups,
            OverrideStore overrides,
            ReservationStore reservations,
            ThresholdStore thresholds,
            OutboxStore outbox,
            EventFactory events,
            PlanCatalog catalog,
            Ontology ontology,
            Clock clock,
            QuotaConfig config) {
        this.applied = applied;
        this.counters = counters;
        this.groups = groups;
        this.overrides = overrides;
        this.reservations = reservations;
        this.thresholds = thresholds;
        this.outbox = outbox;
        this.events = events;
        this.catalog = catalog;
        this.ontology = ontology;
        this.clock = clock;
        this.keepMonths = config.retention().keepMonths();
    }

    /** What one batch did; {@code counted} are the events it counted (not duplicates). */
    public record Applied(
            int events,
            int fresh,
            int duplicates,
            int rejected,
            int ignored,
            int settled,
            int crossings,
            List<EventRecord> counted) {}

    /**
     * Applies to the live tables (the stream consumer keeps the records that could not be read). The shared gate lets any number of appliers run, but none during a swap. The
     * statements of each step go out pipelined on the transaction's connection (they run in order, one round trip).
     */
    public Uni<Applied> applyLive(SqlClient tx, Decoded decoded) {
        return Uni.combine()
                .all()
                .unis(
                        tx.preparedQuery("SELECT pg_advisory_xact_lock_shared($1, $2)")
                                .execute(Tuple.of(LOCK_CLASS, APPLY_GATE)),
                        applied.markApplied(tx, Tables.LIVE.appliedEvents(), decoded.ids(), null))
                .asTuple()
                .chain(gated -> apply(tx, Tables.LIVE, decoded, gated.getItem2(), true));
    }

    /** Applies to the rebuild tables: no thresholds (they were announced already). */
    public Uni<Applied> applyToRebuild(SqlClient tx, Decoded decoded) {
        return applied.markApplied(tx, Tables.REBUILD.appliedEvents(), decoded.ids(), null)
                .chain(seenBefore -> apply(tx, Tables.REBUILD, decoded, seenBefore, false));
    }

    /** What the crossings need besides the counters' new values: the plans and overrides of the groups touched. */
    private record Limits(Map<UUID, String> plans, Map<UUID, Map<String, Long>> overrides) {}

    private Uni<Applied> apply(SqlClient tx, Tables tables, Decoded decoded, Set<String> seenBefore, boolean live) {
        Instant now = clock.instant();
        List<UsageEvent> fresh = new ArrayList<>(decoded.events().size());
        Set<String> taken = new HashSet<>(decoded.events().size() * 2);
        for (UsageEvent event : decoded.events()) {
            if (!seenBefore.contains(event.id()) && taken.add(event.id())) {
                fresh.add(event);
            }
        }
        UsageDeltas deltas = UsageDeltas.of(fresh, ontology, RetentionWindow.at(now, keepMonths));
        List<UUID> touched = live
                ? deltas.counters().keySet().stream()
                        .map(CounterKey::groupId)
                        .distinct()
                        .toList()
                : List.of();
        // Read after the plan upserts (pipelined statements run in order), so a batch's own group_created counts.
        Uni<Limits> limits = touched.isEmpty()
                ? Uni.createFrom().item(new Limits(Map.of(), Map.of()))
                : Uni.combine()
                        .all()
                        .unis(groups.plans(tx, Tables.LIVE, touched), overrides.forGroups(tx, touched))
                        .with(Limits::new);
        return Uni.combine()
                .all()
                .unis(
                        groups.upsert(tx, tables, deltas.plans().values()),
                        counters.add(tx, tables, deltas.counters()),
                        counters.addDaily(tx, tables, deltas.daily()),
                        reservations.settle(tx, deltas.settledGroups(), deltas.settledReferences(), now),
                        limits)
                .asTuple()
                .chain(written -> (live
                                ? crossings(tx, deltas, written.getItem2(), written.getItem5(), now)
                                : Uni.createFrom().item(0))
                        .map(crossed -> new Applied(
                                decoded.events().size(),
                                fresh.size(),
                                decoded.events().size() - fresh.size(),
                                decoded.rejected().size(),
                                decoded.ignored(),
                                written.getItem4(),
                                crossed,
                                fresh.stream().map(UsageEvent::event).toList())));
    }

    /** Records the thresholds this batch moved counters across, and writes one event per new crossing. */
    private Uni<Integer> crossings(
            SqlClient tx, UsageDeltas deltas, Map<CounterKey, Long> after, Limits known, Instant now) {
        List<Crossing> candidates = new ArrayList<>();
        Map<UUID, GroupLimits> limitsByGroup = new LinkedHashMap<>();
        deltas.counters().forEach((key, delta) -> {
            String plan = known.plans().get(key.groupId());
            Long value = after.get(key);
            if (plan == null || value == null || delta <= 0) {
                return; // a group whose plan is not known yet has no limit to cross
            }
            GroupLimits limits = limitsByGroup.computeIfAbsent(
                    key.groupId(),
                    g -> GroupLimits.of(
                            catalog.planOrDefault(plan), known.overrides().getOrDefault(g, Map.of())));
            Metric metric = Metric.of(key.metric()).orElseThrow();
            Long limit = limits.baseLimit(metric);
            if (limit == null) {
                return;
            }
            for (int threshold : QuotaStatus.crossed(value - delta, value, limit)) {
                candidates.add(new Crossing(
                        key.groupId(), key.metric(), key.period(), threshold, value, limit, UuidV7.next()));
            }
        });
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return thresholds.record(tx, candidates).chain(recorded -> {
            Map<UUID, List<EventEnvelope>> byGroup = new LinkedHashMap<>();
            for (Crossing crossing : recorded) {
                String plan = limitsByGroup.get(crossing.groupId()).plan().name();
                byGroup.computeIfAbsent(crossing.groupId(), g -> new ArrayList<>())
                        .add(event(crossing, plan, now));
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Map.Entry<UUID, List<EventEnvelope>> entry : byGroup.entrySet()) {
                chain = chain.chain(() -> outbox.append(tx, entry.getKey(), entry.getValue()));
            }
            return chain.replaceWith(recorded.size());
        });
    }

    private EventEnvelope event(Crossing crossing, String plan, Instant now) {
        Metric metric = Metric.of(crossing.metric()).orElseThrow();
        QuotaThresholdCrossed data = new QuotaThresholdCrossed(
                crossing.metric(),
                crossing.threshold(),
                shown(metric, crossing.current()),
                shown(metric, crossing.limit()),
                crossing.period(),
                plan);
        return events.create(
                crossing.eventId(),
                EventType.QUOTA_THRESHOLD_CROSSED,
                crossing.groupId(),
                now,
                crossing.groupId(),
                data);
    }

    /** {@link #display} as an exact decimal, written without exponent ({@code 10}, not {@code 1E+1}). */
    private static BigDecimal shown(Metric metric, long base) {
        BigDecimal shown = new BigDecimal(display(metric, base).toString()).stripTrailingZeros();
        return shown.scale() < 0 ? shown.setScale(0) : shown;
    }

    /** A counter value as reads show it: GB for storage, the count otherwise. */
    public static Number display(Metric metric, long base) {
        if (metric == Metric.STORAGE_GB) {
            return BigDecimal.valueOf(base)
                    .divide(BigDecimal.valueOf(Metric.BYTES_PER_GB), 6, RoundingMode.HALF_UP)
                    .stripTrailingZeros()
                    .doubleValue();
        }
        return base;
    }
}
