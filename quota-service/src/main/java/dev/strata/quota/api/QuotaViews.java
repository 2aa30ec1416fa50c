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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The JSON shapes of SPEC section 3 and how a group's usage maps onto them. Storage shows in GB (1024^3
 * bytes); a metric without a limit shows {@code limit: null, percentUsed: null, status: "unlimited"}.
 */
final class QuotaViews {

    private QuotaViews() {
    }

    record MetricQuota(Number current, Number limit, Double percentUsed, QuotaStatus status) {
    }

    record MetricWarning(String metric, Number current, Number limit, Double percentUsed, QuotaStatus status) {
    }

    record Summary(boolean allOk, int warningCount, int criticalCount, int exceededCount) {
    }

    record Quotas(UUID groupId, String plan, Map<String, MetricQuota> quotas, List<MetricWarning> warnings,
                  Summary summary) {
    }

    record EntityCheck(boolean canCreate, long current, Long limit, Long available, long requested, String reason,
                       String upgradeSuggestion) {
    }

    record StorageCheck(boolean canStore, Long availableBytes, Double availableGB, String reason,
                        String upgradeSuggestion) {
    }

    record GroupRef(UUID id, String plan) {
    }

    record Status(GroupRef group, String status, Map<String, MetricQuota> metrics, List<String> warnings,
                  List<String> recommendations, Instant lastUpdated) {
    }

    record PlanView(String name, BigDecimal monthlyPrice, BigDecimal annualPrice, String currency, boolean custom,
                    Map<String, Long> quotas) {
    }

    record Upgrade(String name, BigDecimal monthlyPrice, BigDecimal annualPrice, String currency, boolean custom,
                   Map<String, Long> quotas, BigDecimal monthlyDifference, BigDecimal annualDifference) {
    }

    record Upgrades(PlanView plan, List<Upgrade> upgrades) {
    }

    static Map<String, MetricQuota> metrics(GroupUsage usage) {
        Map<String, MetricQuota> quotas = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            Number current = metric.metered() ? UsageApplier.display(metric, usage.current(metric)) : null;
            quotas.put(metric.key(), new MetricQuota(current, usage.limits().limit(metric), usage.percentUsed(metric),
                    usage.status(metric)));
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
                default -> {
                }
            }
        }
        return new Quotas(usage.groupId(), usage.limits().plan().name(), quotas, warnings,
                new Summary(warnings.isEmpty(), warning, critical, exceeded));
    }

    static Status status(GroupUsage usage, PlanCatalog catalog) {
        QuotaStatus worst = QuotaStatus.OK;
        List<String> warnings = new ArrayList<>();
        List<String> recommendations = new ArrayList<>();
        Plan plan = usage.limits().plan();
        for (Metric metric : Metric.meteredMetrics()) {
            QuotaStatus status = usage.status(metric);
            if (!status.needsAttention()) {
                continue;
            }
            worst = status.ordinal() > worst.ordinal() ? status : worst;
            String used = capital(metric.label()) + ": " + number(metric, usage.current(metric)) + " of "
                    + amount(metric, usage.limits().baseLimit(metric)) + " used ("
                    + percent(usage.percentUsed(metric)) + ")";
            warnings.add(used + switch (status) {
                case EXCEEDED -> ", the limit is reached.";
                case CRITICAL -> ", 95% or more of the limit.";
                default -> ", 80% or more of the limit.";
            });
            Optional<Plan> upgrade = catalog.upgradeFor(plan, metric, usage.current(metric) + 1);
            recommendations.add(upgrade.map(p -> "Upgrade to " + p.name() + " to raise the " + metric.label()
                            + " limit " + (p.limit(metric) == null ? "to unlimited"
                            : "to " + amount(metric, metric.limitToBase(p.limit(metric)))) + ".")
                    .orElse("Ask support to raise the " + metric.label() + " limit, or reduce usage."));
        }
        String overall = switch (worst) {
            case WARNING -> "warning";
            case CRITICAL -> "critical";
            case EXCEEDED -> "exceeded";
            default -> "healthy";
        };
        return new Status(new GroupRef(usage.groupId(), plan.name()), overall, metrics(usage), warnings,
                recommendations, usage.lastUpdated());
    }

    static PlanView plan(Plan plan, String currency) {
        return new PlanView(plan.name(), plan.monthlyPrice(), plan.annualPrice(), currency, plan.customPricing(),
                limits(plan));
    }

    static Upgrades upgrades(Plan current, PlanCatalog catalog) {
        List<Upgrade> upgrades = new ArrayList<>();
        for (Plan plan : catalog.upgradesOf(current)) {
            boolean custom = plan.customPricing() || current.customPricing();
            upgrades.add(new Upgrade(plan.name(), plan.monthlyPrice(), plan.annualPrice(), catalog.currency(),
                    plan.customPricing(), limits(plan),
                    custom ? null : plan.monthlyPrice().subtract(current.monthlyPrice()),
                    custom ? null : plan.annualPrice().subtract(current.annualPrice())));
        }
        return new Upgrades(plan(current, catalog.currency()), upgrades);
    }

    static String suggestion(PlanCatalog catalog, Plan plan, Metric metric, long needed) {
        return catalog.upgradeFor(plan, metric, needed)
                .map(p -> "Upgrade to " + p.name() + (p.limit(metric) == null ? ": it has no " + metric.label()
                        + " limit." : ": its " + metric.label() + " limit is "
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
                ? BigDecimal.valueOf(UsageApplier.display(metric, base).doubleValue()).stripTrailingZeros()
                .toPlainString()
                : String.format(Locale.ROOT, "%,d", base);
    }

    private static String percent(Double percent) {
        return percent == null ? "unlimited" : BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
    }

    private static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The month's API calls and their limit, as {@code ApiCallLimiter} reads them. */
    static ApiCallAllowance.Allowance apiCalls(GroupUsage usage) {
        return new ApiCallAllowance.Allowance(usage.limits().limit(Metric.API_CALLS_PER_MONTH),
                usage.current(Metric.API_CALLS_PER_MONTH));
    }
}
