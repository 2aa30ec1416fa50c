package dev.strata.quota.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /admin/quotas/groups}: the groups nearest their limits first, for the console. Each group's figures are
 * those {@code GET /groups/{g}/quotas} gives it, from the same code.
 *
 * @param totalGroups every group quota-service knows, listed or not
 */
@Schema(
        description = "Usage against limits across groups, the groups nearest their limits first (highestPercentUsed"
                + " descending, then groupId)",
        example = """
        {"measuredAt": "2026-12-03T10:15:30.412Z", "totalGroups": 10000,
         "groups": [{"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "plan": "starter", "status": "exceeded",
                     "nearestMetric": "entities_total", "highestPercentUsed": 104.0,
                     "quotas": {"users": {"current": 4, "limit": 5, "percentUsed": 80.0, "status": "warning"},
                                "storage_gb": {"current": 0.25, "limit": 1, "percentUsed": 25.0, "status": "ok"},
                                "api_calls_per_month": {"current": 412, "limit": 1000, "percentUsed": 41.2,
                                                        "status": "ok"},
                                "entities_total": {"current": 104, "limit": 100, "percentUsed": 104.0,
                                                   "status": "exceeded"},
                                "connections_total": {"current": 120, "limit": 500, "percentUsed": 24.0,
                                                      "status": "ok"},
                                "events_retention_days": {"current": null, "limit": 90, "percentUsed": null,
                                                          "status": "ok"}}}]}""")
public record GroupsUsage(Instant measuredAt, long totalGroups, List<GroupUsage> groups) {

    /**
     * One group: {@code status} as {@code GET /groups/{g}/quotas/status} computes it (healthy, warning, critical,
     * exceeded); {@code nearestMetric} the metered metric with the highest percent used (null where none has a
     * limit), {@code highestPercentUsed} that percent (unlimited metrics count as 0).
     */
    @Schema(description = "A group's usage against its limits, as GET /groups/{groupId}/quotas gives it")
    public record GroupUsage(
            UUID groupId,
            String plan,
            String status,
            String nearestMetric,
            double highestPercentUsed,
            Map<String, QuotaViews.MetricQuota> quotas) {}
}
