package dev.strata.quota.service;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A group's usage in the current period of each metric (base units) and the limits in force.
 *
 * @param month       the current month ("YYYY-MM", UTC) the api call counter is read for
 * @param lastUpdated when a counter of the group last changed, or null if none ever did
 */
public record GroupUsage(
        UUID groupId, GroupLimits limits, Map<Metric, Long> current, String month, Instant lastUpdated) {

    public long current(Metric metric) {
        return current.getOrDefault(metric, 0L);
    }

    public QuotaStatus status(Metric metric) {
        if (!metric.metered()) {
            return limits.baseLimit(metric) == null ? QuotaStatus.UNLIMITED : QuotaStatus.OK;
        }
        return QuotaStatus.of(current(metric), limits.baseLimit(metric));
    }

    public Double percentUsed(Metric metric) {
        return metric.metered() ? QuotaStatus.percentUsed(current(metric), limits.baseLimit(metric)) : null;
    }
}
