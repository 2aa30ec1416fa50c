package dev.strata.quota.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;
import dev.strata.quota.store.CounterStore;
import dev.strata.quota.store.CounterStore.DailyDelta;
import dev.strata.quota.store.CounterStore.Snapshot;
import dev.strata.quota.store.GroupPlanStore;
import dev.strata.quota.store.OverrideRepository;
import dev.strata.quota.store.OverrideStore;
import dev.strata.quota.store.ReservationStore;
import dev.strata.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of a group's quotas and the admin's overrides. A group quota-service has not seen on the stream yet is
 * learned from ingest-service ({@link GroupLearner}); one ingest does not know either, or cannot tell about, is
 * answered with 404: guessing a plan would show limits the group may not have.
 */
@ApplicationScoped
public class QuotaService {

    private final Pool pool;
    private final GroupPlanStore groups;
    private final OverrideStore overrides;
    private final OverrideRepository overrideRepository;
    private final CounterStore counters;
    private final ReservationStore reservations;
    private final PlanCatalog catalog;
    private final GroupLearner learner;
    private final Clock clock;

    public QuotaService(
            Pool pool,
            GroupPlanStore groups,
            OverrideStore overrides,
            OverrideRepository overrideRepository,
            CounterStore counters,
            ReservationStore reservations,
            PlanCatalog catalog,
            GroupLearner learner,
            Clock clock) {
        this.pool = pool;
        this.groups = groups;
        this.learner = learner;
        this.overrides = overrides;
        this.overrideRepository = overrideRepository;
        this.counters = counters;
        this.reservations = reservations;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The group's usage; a group not seen yet is learned from ingest first, 404 if that fails. */
    public Uni<GroupUsage> usage(UUID groupId) {
        return read(groupId)
                .onItem()
                .ifNull()
                .switchTo(() -> learner.learn(groupId)
                        .chain(learned ->
                                learned ? read(groupId) : Uni.createFrom().<GroupUsage>nullItem()))
                .onItem()
                .ifNull()
                .failWith(() -> unknownGroup(groupId));
    }

    /**
     * The group's plan, overrides and counters, or null for a group not in {@code groups}: three queries pipelined
     * on one connection, so a read costs one round trip to the database rather than three.
     */
    private Uni<GroupUsage> read(UUID groupId) {
        String month = UsageDeltas.month(clock.instant());
        return pool.withConnection(connection -> Uni.combine()
                .all()
                .unis(
                        groups.find(connection, groupId),
                        overrides.find(connection, groupId),
                        counters.snapshot(connection, groupId, month))
                .asTuple()
                .map(read -> read.getItem1() == null
                        ? null
                        : usage(read.getItem1(), read.getItem2(), read.getItem3(), month)));
    }

    /**
     * The usage of every group quota-service knows, in no particular order, for the console's overview: three
     * set-based queries (plans, overrides, counters of the totals and the current month) pipelined on one
     * connection, whatever the number of groups, each group's usage then made as {@link #usage(UUID)} makes it.
     */
    public Uni<List<GroupUsage>> usageOfAll() {
        String month = UsageDeltas.month(clock.instant());
        return pool.withConnection(connection -> Uni.combine()
                .all()
                .unis(groups.all(connection), overrides.all(connection), counters.snapshots(connection, month))
                .asTuple()
                .map(read -> {
                    List<GroupUsage> all = new ArrayList<>(read.getItem1().size());
                    for (GroupPlanStore.GroupPlan group : read.getItem1()) {
                        all.add(usage(
                                group,
                                read.getItem2().getOrDefault(group.groupId(), Map.of()),
                                read.getItem3().getOrDefault(group.groupId(), CounterStore.Snapshot.NONE),
                                month));
                    }
                    return all;
                }));
    }

    private GroupUsage usage(
            GroupPlanStore.GroupPlan group, Map<String, Long> groupOverrides, Snapshot snapshot, String month) {
        GroupLimits limits = GroupLimits.of(catalog.planOrDefault(group.plan()), groupOverrides);
        Map<Metric, Long> current = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.meteredMetrics()) {
            Map<String, Long> source = metric.monthly() ? snapshot.month() : snapshot.totals();
            current.put(metric, source.getOrDefault(metric.key(), 0L));
        }
        return new GroupUsage(group.groupId(), limits, current, month, snapshot.lastUpdated());
    }

    /**
     * The limits in force for a group in {@code groups}; null for one that is not (the caller learns it with
     * {@link #learn} outside its transaction and tries again).
     */
    public Uni<GroupLimits> limits(SqlClient client, UUID groupId) {
        return Uni.combine()
                .all()
                .unis(groups.find(client, groupId), overrides.find(client, groupId))
                .asTuple()
                .map(read -> {
                    if (read.getItem1() == null) {
                        return null;
                    }
                    return GroupLimits.of(catalog.planOrDefault(read.getItem1().plan()), read.getItem2());
                });
    }

    /** A group's hot retention: its plan's {@code events_retention_days} with its override; null is unlimited. */
    public record Retention(UUID groupId, String plan, Long days) {}

    /**
     * The retention of every group quota-service knows, a page at a time in group id order (archival-service reads
     * them all before a run): up to {@code limit} groups after {@code after}, null for the first page.
     */
    public Uni<List<Retention>> retention(UUID after, int limit) {
        return pool.withConnection(connection -> groups.page(connection, after, limit)
                .chain(page -> {
                    List<UUID> ids =
                            page.stream().map(GroupPlanStore.GroupPlan::groupId).toList();
                    return overrides
                            .forGroups(connection, ids)
                            .map(all -> page.stream()
                                    .map(group -> retention(group, all.getOrDefault(group.groupId(), Map.of())))
                                    .toList());
                }));
    }

    /** One group's retention; null for a group quota-service does not know. */
    public Uni<Retention> retention(UUID groupId) {
        return pool.withConnection(connection -> Uni.combine()
                .all()
                .unis(groups.find(connection, groupId), overrides.find(connection, groupId))
                .asTuple()
                .map(read -> read.getItem1() == null ? null : retention(read.getItem1(), read.getItem2())));
    }

    private Retention retention(GroupPlanStore.GroupPlan group, Map<String, Long> groupOverrides) {
        GroupLimits limits = GroupLimits.of(catalog.planOrDefault(group.plan()), groupOverrides);
        return new Retention(group.groupId(), group.plan(), limits.limit(Metric.EVENTS_RETENTION_DAYS));
    }

    /** Asks ingest about a group not in {@code groups} and records it; true when it now is. */
    public Uni<Boolean> learn(UUID groupId) {
        return learner.learn(groupId);
    }

    /** Amount held by open, unexpired reservations of a metric. */
    public Uni<Long> held(UUID groupId, Metric metric) {
        return reservations.held(pool, groupId, metric.key(), clock.instant());
    }

    public static ProblemException unknownGroup(UUID groupId) {
        return ProblemException.notFound("quota-service does not know group " + groupId
                + " (its group_created event has not arrived and ingest-service could not confirm it, or the group"
                + " does not exist).");
    }

    public Uni<Map<String, Long>> overrides(UUID groupId) {
        return overrideRepository.forGroup(groupId);
    }

    /**
     * Sets or removes (null) per-group limits: a whole number in the plan's units (GB for storage), -1 for
     * unlimited. Allowed before the group's first event arrives, so an admin can prepare a group.
     */
    public Uni<Map<String, Long>> changeOverrides(UUID groupId, Map<String, JsonNode> request) {
        if (request == null || request.isEmpty()) {
            throw ProblemException.validation(
                    "Give at least one metric.", List.of(FieldError.of("$", "an object of metric: limit or null")));
        }
        Map<String, Long> changes = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        request.forEach((key, value) -> {
            if (Metric.of(key).isEmpty()) {
                errors.add(FieldError.of(key, "unknown metric; known: " + String.join(", ", Metric.keys())));
            } else if (value == null || value.isNull()) {
                changes.put(key, null);
            } else if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < -1) {
                errors.add(FieldError.of(key, "must be a whole number >= 0, -1 for unlimited, or null to remove"));
            } else {
                changes.put(key, value.asLong());
            }
        });
        if (!errors.isEmpty()) {
            throw ProblemException.validation("The overrides are not valid.", errors);
        }
        return Panache.withTransaction(() -> overrideRepository.apply(groupId, changes, clock.instant()));
    }

    public record HistoryDay(LocalDate day, long delta, long value) {}

    /**
     * Daily history of a metric for charts, in base units: each day's change and the value at the end of that
     * day. Totals are derived backwards from the current total, so removing old history never shifts them; a
     * monthly metric sums its month's days.
     */
    public Uni<List<HistoryDay>> history(UUID groupId, Metric metric, int days) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(days - 1L);
        LocalDate readFrom = metric.monthly() ? YearMonth.from(from).atDay(1) : from;
        return usage(groupId)
                .chain(usage -> counters.dailySince(pool, groupId, metric.key(), readFrom)
                        .map(rows -> metric.monthly()
                                ? monthly(rows, from, today)
                                : totals(rows, from, today, usage.current(metric))));
    }

    private static List<HistoryDay> totals(List<DailyDelta> rows, LocalDate from, LocalDate today, long current) {
        Map<LocalDate, Long> byDay = new LinkedHashMap<>();
        long after = 0;
        for (DailyDelta row : rows) {
            if (row.day().isAfter(today)) {
                after += row.delta(); // events dated in the future still count in the total
            } else {
                byDay.put(row.day(), row.delta());
            }
        }
        List<HistoryDay> out = new ArrayList<>();
        long value = current - after;
        for (LocalDate day = today; !day.isBefore(from); day = day.minusDays(1)) {
            long delta = byDay.getOrDefault(day, 0L);
            out.add(0, new HistoryDay(day, delta, value));
            value -= delta;
        }
        return out;
    }

    private static List<HistoryDay> monthly(List<DailyDelta> rows, LocalDate from, LocalDate today) {
        Map<LocalDate, Long> byDay = new LinkedHashMap<>();
        rows.forEach(row -> byDay.put(row.day(), row.delta()));
        List<HistoryDay> out = new ArrayList<>();
        long value = 0;
        for (LocalDate day = YearMonth.from(from).atDay(1); !day.isAfter(today); day = day.plusDays(1)) {
            if (day.getDayOfMonth() == 1) {
                value = 0;
            }
            long delta = byDay.getOrDefault(day, 0L);
            value += delta;
            if (!day.isBefore(from)) {
                out.add(new HistoryDay(day, delta, value));
            }
        }
        return out;
    }
}
