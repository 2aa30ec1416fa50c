package dev.strata.quota.service;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A plan as configured. Limits are in configured units (GB for storage); a metric mapped to {@code null} is
 * unlimited. Prices are {@code null} when the plan is priced on request.
 */
public record Plan(String name, int rank, BigDecimal monthlyPrice, BigDecimal annualPrice, Map<Metric, Long> limits) {

    public boolean customPricing() {
        return monthlyPrice == null || annualPrice == null;
    }

    /** The configured limit, or null when unlimited. */
    public Long limit(Metric metric) {
        return limits.get(metric);
    }
}
