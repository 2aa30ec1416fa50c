package dev.strata.quota.api;

import dev.strata.quota.service.GroupUsage;
import dev.strata.quota.service.Metric;
import dev.strata.quota.service.Plan;
import dev.strata.quota.service.PlanCatalog;
import dev.strata.quota.service.QuotaStatus;
import dev.strata.quota.service.UsageApplier;
import dev.strata.support.metering.ApiCallAllowance;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON shapes of SPEC section 3 and how a group's usage maps onto them. Storage shows in GB (1024^3
 * bytes); a metric without a limit shows {@code limit: null, percentUsed: null, status: "unlimited"}.
 */
final class QuotaViews {

    private QuotaViews() {}

    @Schema(
            description = "One metric against its limit: current in the metric's unit (GB for storage_gb, null for"
                    + " events_retention_days, which is a setting), limit in the same unit (null: unlimited), percentUsed"
                    + " rounded down to 2 decimals (null: unlimited), status ok|warning|critical|exceeded|unlimited",
            example = """
            {"current": 97, "limit": 100, "percentUsed": 97.0, "status": "critical"}""")
    record MetricQuota(Number current, Number limit, Double percentUsed, QuotaStatus status) {}

    @Schema(description = "A metric at 80 % of its limit or more")
    record MetricWarning(String metric, Number current, Number limit, Double percentUsed, QuotaStatus status) {}

    record Summary(boolean allOk, int warningCount, int criticalCount, int exceededCount) {}

    @Schema(description = "Usage, limits and status of every metric of a group", example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "plan": "starter",
             "quotas": {"users": {"current": 4, "limit": 5, "percentUsed": 80.0, "status": "warning"},
             "storage_gb": {"current": 0.25, "limit": 1, "percentUsed": 25.0, "status": "ok"},
             "api_calls_per_month": {"current": 412, "limit": 1000, "percentUsed": 41.2, "status": "ok"},
             "entities_total": {"current": 97, "limit": 100, "percentUsed": 97.0, "status": "critical"},
             "connections_total": {"current": 120, "limit": 500, "percentUsed": 24.0, "status": "ok"},
             "events_retention_days": {"current": null, "limit": 90, "percentUsed": null, "status": "ok"}},
             "warnings": [{"metric": "users", "current": 4, "limit": 5, "percentUsed": 80.0, "status": "warning"},
                          {"metric": "entities_total", "current": 97, "limit": 100, "percentUsed": 97.0,
                           "status": "critical"}],
             "summary": {"allOk": false, "warningCount": 1, "criticalCount": 1, "exceededCount": 0}}""")
    record Quotas(
            UUID groupId,
            String plan,
            Map<String, MetricQuota> quotas,
            List<MetricWarning> warnings,
            Summary summary) {}

    @Schema(
            description = "Whether count more entities fit, counting open reservations; limit, available and the"
                    + " reason are null where the group has no entities limit",
            example = """
            {"canCreate": false, "current": 97, "limit": 100, "available": 1, "requested": 5,
             "reason": "Creating 5 entities would exceed the limit of 100 (97 used, 2 reserved, 1 available).",
             "upgradeSuggestion": "Upgrade to pro: its entities limit is 10,000."}""")
    record EntityCheck(
            boolean canCreate,
            long current,
            Long limit,
            Long available,
            long requested,
            String reason,
            String upgradeSuggestion) {}

    @Schema(
            description = "Whether bytes more storage fit, counting open reservations; null figures where the"
                    + " group has no storage limit",
            example = """
            {"canStore": false, "availableBytes": 52428800, "availableGB": 0.048828,
             "reason": "Storing 104857600 bytes would exceed the limit of 1 GB (52428800 bytes available).",
             "upgradeSuggestion": "Upgrade to pro: its storage limit is 100 GB."}""")
    record StorageCheck(
            boolean canStore, Long availableBytes, Double availableGB, String reason, String upgradeSuggestion) {}

    record GroupRef(UUID id, String plan) {}

    @Schema(
            description = "A group's overall status (the worst of its metrics: healthy, warning, critical or"
                    + " exceeded), its metrics, and what needs attention in sentences",
            example = """
            {"group": {"id": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "plan": "starter"}, "status": "critical",
             "metrics": {"users": {"current": 4, "limit": 5, "percentUsed": 80.0, "status": "warning"},
             "storage_gb": {"current": 0.25, "limit": 1, "percentUsed": 25.0, "status": "ok"},
             "api_calls_per_month": {"current": 412, "limit": 1000, "percentUsed": 41.2, "status": "ok"},
             "entities_total": {"current": 97, "limit": 100, "percentUsed": 97.0, "status": "critical"},
             "connections_total": {"current": 120, "limit": 500, "percentUsed": 24.0, "status": "ok"},
             "events_retention_days": {"current": null, "limit": 90, "percentUsed": null, "status": "ok"}},
             "warnings": ["Users: 4 of 5 used (80%), 80% or more of the limit.",
                          "Entities: 97 of 100 used (97%), 95% or more of the limit."],
             "recommendations": ["Upgrade to pro to raise the users limit to 50.",
                                 "Upgrade to pro to raise the entities limit to 10,000."],
             "lastUpdated": "2026-12-03T10:15:30.412Z"}""")
    record Status(
            GroupRef group,
            String status,
            Map<String, MetricQuota> metrics,
            List<String> warnings,
            List<String> recommendations,
            Instant lastUpdated) {}

    @Schema(
            description = "A plan as configured: prices (null and custom=true where priced on request) and its limit"
                    + " per metric (storage in GB; null: unlimited)",
            example = """
            {"name": "pro", "monthlyPrice": 49, "annualPrice": 490, "currency": "USD", "custom": false,
             "quotas": {"users": 50, "storage_gb": 100, "api_calls_per_month": 100000, "entities_total": 10000,
                        "connections_total": 50000, "events_retention_days": 365}}""")
    record PlanView(
            String name,
            BigDecimal monthlyPrice,
            BigDecimal annualPrice,
            String currency,
            boolean custom,
            Map<String, Long> quotas) {}

    record Upgrade(
            String name,
            BigDecimal monthlyPrice,
            BigDecimal annualPrice,
            String currency,
            boolean custom,
            Map<String, Long> quotas,
            BigDecimal monthlyDifference,
            BigDecimal annualDifference) {}

    @Schema(
            description = "A plan and each bigger one with the price difference (null where either is custom-priced)",
            example = """
            {"plan": {"name": "starter", "monthlyPrice": 0, "annualPrice": 0, "currency": "USD", "custom": false,
                      "quotas": {"users": 5, "storage_gb": 1, "api_calls_per_month": 1000, "entities_total": 100,
                                 "connections_total": 500, "events_retention_days": 90}},
             "upgrades": [{"name": "pro", "monthlyPrice": 49, "annualPrice": 490, "currency": "USD", "custom": false,
                           "quotas": {"users": 50, "storage_gb": 100, "api_calls_per_month": 100000,
                                      "entities_total": 10000, "connections_total": 50000,
                                      "events_retention_days": 365},
                           "monthlyDifference": 49, "annualDifference": 490},
                          {"name": "enterprise", "monthlyPrice": null, "annualPrice": null, "currency": "USD",
                           "custom": true,
                           "quotas": {"users": null, "storage_gb": null, "api_calls_per_month": null,
                                      "entities_total": null, "connections_total": null,
                                      "events_retention_days": null},
                           "monthlyDifference": null, "annualDifference": null}]}""")
    record Upgrades(PlanView plan, List<Upgrade> upgrades) {}

    static Map<String, MetricQuota> metrics(GroupUsage usage) {
        Map<String, MetricQuota> quotas = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            Number current = metric.metered() ? UsageApplier.display(metric, usage.current(metric)) : null;
            quotas.put(
                    metric.key(),
                    new MetricQuota(
                            current, usage.limits().limit(metric), usage.percentUsed(metric), usage.status(metric)));
        }
        return quotas;
    }

    static Quotas quotas(GroupUsage usage) {
        Map<String, MetricQuota> quotas = metrics(usage);
        List<MetricWarning> warnings = new ArrayList<>();
        int warning = 0;
        int critical = 0;
        int exceeded = 0;
        for (Map.Entry<String, MetricQuota> entry : quotas.entrySet()) {
            MetricQuota q = entry.getValue();
            if (q.status().needsAttention()) {
                warnings.add(new MetricWarning(entry.getKey(), q.current(), q.limit(), q.percentUsed(), q.status()));
            }
            switch (q.status()) {
                case WARNING -> warning++;
                case CRITICAL -> critical++;
                case EXCEEDED -> exceeded++;
                default -> {}
            }
        }
        return new Quotas(
                usage.groupId(),
                usage.limits().plan().name(),
                quotas,
                warnings,
                new Summary(warnings.isEmpty(), warning, critical, exceeded));
    }

    /** The group's overall status: the worst of its metered metrics, {@code healthy} where none needs attention. */
    static String overall(GroupUsage usage) {
        QuotaStatus worst = QuotaStatus.OK;
        for (Metric metric : Metric.meteredMetrics()) {
            QuotaStatus status = usage.status(metric);
            if (status.needsAttention() && status.ordinal() > worst.ordinal()) {
                worst = status;
            }
        }
        return switch (worst) {
            case WARNING -> "warning";
            case CRITICAL -> "critical";
            case EXCEEDED -> "exceeded";
            default -> "healthy";
        };
    }

    static Status status(GroupUsage usage, PlanCatalog catalog) {
        List<String> warnings = new ArrayList<>();
        List<String> recommendations = new ArrayList<>();
        Plan plan = usage.limits().plan();
        for (Metric metric : Metric.meteredMetrics()) {
            QuotaStatus status = usage.status(metric);
            if (!status.needsAttention()) {
                continue;
            }
            String used = capital(metric.label()) + ": " + number(metric, usage.current(metric)) + " of "
                    + amount(metric, usage.limits().baseLimit(metric)) + " used ("
                    + percent(usage.percentUsed(metric)) + ")";
            warnings.add(used
                    + switch (status) {
                        case EXCEEDED -> ", the limit is reached.";
                        case CRITICAL -> ", 95% or more of the limit.";
                        default -> ", 80% or more of the limit.";
                    });
            Optional<Plan> upgrade = catalog.upgradeFor(plan, metric, usage.current(metric) + 1);
            recommendations.add(upgrade.map(p -> "Upgrade to " + p.name() + " to raise the " + metric.label()
                            + " limit "
                            + (p.limit(metric) == null
                                    ? "to unlimited"
                                    : "to " + amount(metric, metric.limitToBase(p.limit(metric))))
                            + ".")
                    .orElse("Ask support to raise the " + metric.label() + " limit, or reduce usage."));
        }
        return new Status(
                new GroupRef(usage.groupId(), plan.name()),
                overall(usage),
                metrics(usage),
                warnings,
                recommendations,
                usage.lastUpdated());
    }

    /**
     * The metered metric nearest its limit and its percent used, unlimited metrics counting as 0 %; the first in
     * {@link Metric} order on a tie, and no metric where none has a limit.
     */
    record Nearest(GroupUsage usage, String metric, double percentUsed) {

        static final Comparator<Nearest> FULLEST_FIRST = Comparator.comparingDouble(Nearest::percentUsed)
                .reversed()
                .thenComparing(nearest -> nearest.usage().groupId().toString());

        static Nearest of(GroupUsage usage) {
            String nearest = null;
            double highest = 0.0;
            for (Metric metric : Metric.meteredMetrics()) {
                Double percent = usage.percentUsed(metric);
                if (percent != null && (nearest == null || percent > highest)) {
                    nearest = metric.key();
                    highest = percent;
                }
            }
            return new Nearest(usage, nearest, highest);
        }
    }

    /**
     * The {@code limit} groups nearest their limits, each with the figures {@code GET /groups/{g}/quotas} and
     * {@code GET /groups/{g}/quotas/status} give it; only those are rendered.
     */
    static GroupsUsage groupsUsage(List<GroupUsage> all, int limit, Instant measuredAt) {
        List<GroupsUsage.GroupUsage> groups = all.stream()
                .map(Nearest::of)
                .sorted(Nearest.FULLEST_FIRST)
                .limit(limit)
                .map(nearest -> new GroupsUsage.GroupUsage(
                        nearest.usage().groupId(),
                        nearest.usage().limits().plan().name(),
                        overall(nearest.usage()),
                        nearest.metric(),
                        nearest.percentUsed(),
                        metrics(nearest.usage())))
                .toList();
        return new GroupsUsage(measuredAt, all.size(), groups);
    }

    static PlanView plan(Plan plan, String currency) {
        return new PlanView(
                plan.name(), plan.monthlyPrice(), plan.annualPrice(), currency, plan.customPricing(), limits(plan));
    }

    static Upgrades upgrades(Plan current, PlanCatalog catalog) {
        List<Upgrade> upgrades = new ArrayList<>();
        for (Plan plan : catalog.upgradesOf(current)) {
            boolean custom = plan.customPricing() || current.customPricing();
            upgrades.add(new Upgrade(
                    plan.name(),
                    plan.monthlyPrice(),
                    plan.annualPrice(),
                    catalog.currency(),
                    plan.customPricing(),
                    limits(plan),
                    custom ? null : plan.monthlyPrice().subtract(current.monthlyPrice()),
                    custom ? null : plan.annualPrice().subtract(current.annualPrice())));
        }
        return new Upgrades(plan(current, catalog.currency()), upgrades);
    }

    static String suggestion(PlanCatalog catalog, Plan plan, Metric metric, long needed) {
        return catalog.upgradeFor(plan, metric, needed)
                .map(p -> "Upgrade to " + p.name()
                        + (p.limit(metric) == null
                                ? ": it has no " + metric.label() + " limit."
                                : ": its " + metric.label() + " limit is "
                                        + amount(metric, metric.limitToBase(p.limit(metric))) + "."))
                .orElse(null);
    }

    private static Map<String, Long> limits(Plan plan) {
        Map<String, Long> limits = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            limits.put(metric.key(), plan.limit(metric));
        }
        return limits;
    }

    /** A base value as people read it, with its unit: "10,000", "1.5 GB". */
    static String amount(Metric metric, long base) {
        return number(metric, base) + (metric == Metric.STORAGE_GB ? " GB" : "");
    }

    private static String number(Metric metric, long base) {
        return metric == Metric.STORAGE_GB
                ? BigDecimal.valueOf(UsageApplier.display(metric, base).doubleValue())
                        .stripTrailingZeros()
                        .toPlainString()
                : String.format(Locale.ROOT, "%,d", base);
    }

    private static String percent(Double percent) {
        return percent == null
                ? "unlimited"
                : BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
    }

    private static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The month's API calls and their limit, as {@code ApiCallLimiter} reads them. */
    static ApiCallAllowance.Allowance apiCalls(GroupUsage usage) {
        return new ApiCallAllowance.Allowance(
                usage.limits().limit(Metric.API_CALLS_PER_MONTH), usage.current(Metric.API_CALLS_PER_MONTH));
    }
}
