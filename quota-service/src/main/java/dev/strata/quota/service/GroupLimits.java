package dev.strata.quota.service;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The limits in force for one group: its plan's, with the group's overrides on top. Values are in configured
 * units (GB for storage); {@code null} is unlimited.
 */
public record GroupLimits(Plan plan, Map<Metric, Long> limits) {

    public static GroupLimits of(Plan plan, Map<String, Long> overrides) {
        Map<Metric, Long> limits = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            limits.put(metric, plan.limit(metric));
        }
        overrides.forEach((key, value) ->
                Metric.of(key).ifPresent(metric -> limits.put(metric, value == null || value < 0 ? null : value)));
        return new GroupLimits(plan, Collections.unmodifiableMap(limits));
    }

    /** The limit in configured units, or null when unlimited. */
    public Long limit(Metric metric) {
        return limits.get(metric);
    }

    /** The limit in the counter's base unit (bytes for storage), or null when unlimited. */
    public Long baseLimit(Metric metric) {
        Long limit = limits.get(metric);
        return limit == null ? null : metric.limitToBase(limit);
    }
}
