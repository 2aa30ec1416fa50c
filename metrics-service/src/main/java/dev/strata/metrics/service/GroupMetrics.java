package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A group's computed metrics; the windows (this week, this month) are defined in {@link Windows}. All-time figures
 * include archived events.
 *
 * @param userCount                   people-like things
 * @param activeUsers                 people-like things with an event as actor this week
 * @param totalEntities               things of any type
 * @param storageUsed                 bytes: properties + knowledge text + 4 per embedding dimension
 * @param storageUsedMB               storageUsed / 1,048,576, two decimals
 * @param apiCallsThisMonth           sum of {@code count} of {@code api_call} events this month
 * @param revenueThisMonth            sum of {@code amount} of {@code revenue_generated} events this month
 * @param eventsThisMonth             activity events this month
 * @param eventsThisWeek              activity events this week
 * @param topContentByEngagement      the most connected content-like things, most first
 * @param averageEngagementPerContent connections of content-like things / content-like things
 * @param avgEventsPerUser            all-time activity events / userCount
 * @param avgRevenuePerUser           all-time revenue / userCount
 * @param isActive                    an activity event within the active window (30 days) before now
 * @param trendingUp                  more events this week than the week before
 * @param lastComputed                when this was computed (the service clock)
 */
public record GroupMetrics(long userCount, long activeUsers, long totalEntities, long storageUsed,
                           BigDecimal storageUsedMB, long apiCallsThisMonth, BigDecimal revenueThisMonth,
                           long eventsThisMonth, long eventsThisWeek, List<TopContent> topContentByEngagement,
                           BigDecimal averageEngagementPerContent, BigDecimal avgEventsPerUser,
                           BigDecimal avgRevenuePerUser, @JsonProperty("isActive") boolean isActive,
                           boolean trendingUp, Instant lastComputed) {

    public record TopContent(UUID entityId, String name, String type, long connectionCount, Instant createdAt) {
    }
}
