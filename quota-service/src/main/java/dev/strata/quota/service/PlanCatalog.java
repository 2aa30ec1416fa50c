package dev.strata.quota.service;

import dev.strata.quota.config.QuotaConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured plans, checked once at start-up: a typo in a metric name or an upgrade path naming a missing
 * plan stops the service instead of silently making a limit unlimited.
 */
@Startup
@ApplicationScoped
public class PlanCatalog {

    private final Map<String, Plan> plans;
    private final List<Plan> ordered;
    private final String currency;

    public PlanCatalog(QuotaConfig config) {
        this.currency = config.currency();
        Map<String, Plan> byName = new LinkedHashMap<>();
        List<Plan> order = new ArrayList<>();
        List<String> path = config.planOrder();
        for (String name : path) {
            QuotaConfig.PlanConfig plan = config.plans().get(name);
            if (plan == null) {
                throw new IllegalStateException("strata.quota.plan-order names plan '" + name
                        + "' but strata.quota.plans." + name + " is not configured");
            }
            Plan built = build(name, order.size(), plan);
            byName.put(name, built);
            order.add(built);
        }
        for (String name : config.plans().keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalStateException(
                        "plan '" + name + "' is configured but missing from " + "strata.quota.plan-order " + path);
            }
        }
        if (order.isEmpty()) {
            throw new IllegalStateException("strata.quota.plan-order lists no plan");
        }
        this.plans = Collections.unmodifiableMap(byName);
        this.ordered = List.copyOf(order);
    }

    private static Plan build(String name, int rank, QuotaConfig.PlanConfig config) {
        Map<Metric, Long> limits = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            limits.put(metric, null);
        }
        config.limits().forEach((key, value) -> {
            Metric metric = Metric.of(key)
                    .orElseThrow(() -> new IllegalStateException("strata.quota.plans." + name + ".limits." + key
                            + ": unknown metric; known: " + Metric.keys()));
            if (value == null || value < -1) {
                throw new IllegalStateException(
                        "strata.quota.plans." + name + ".limits." + key + " must be -1 (unlimited) or a limit >= 0");
            }
            limits.put(metric, value == -1 ? null : value);
        });
        return new Plan(
                name,
                rank,
                config.monthlyPrice().orElse(null),
                config.annualPrice().orElse(null),
                Collections.unmodifiableMap(limits));
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(name == null ? null : plans.get(name));
    }

    /** A group's plan; a plan name this deployment does not configure falls back to the cheapest plan. */
    public Plan planOrDefault(String name) {
        return find(name).orElse(ordered.get(0));
    }

    /** Cheapest first. */
    public List<Plan> ordered() {
        return ordered;
    }

    /** The plans above this one, cheapest first. */
    public List<Plan> upgradesOf(Plan plan) {
        return ordered.subList(plan.rank() + 1, ordered.size());
    }

    /**
     * The cheapest plan above {@code plan} whose limit of {@code metric} holds {@code needed} (base units), or
     * empty when none does.
     */
    public Optional<Plan> upgradeFor(Plan plan, Metric metric, long needed) {
        for (Plan candidate : upgradesOf(plan)) {
            Long limit = candidate.limit(metric);
            if (limit == null || metric.limitToBase(limit) >= needed) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public String currency() {
        return currency;
    }
}
