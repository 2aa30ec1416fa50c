package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
 * @param revenueThisMonth            sum of {@code amount} of {@code revenue_generated} events this month, in
 *                                    {@code revenueCurrency} (currencies without a rate left out)
 * @param revenueCurrency             the reporting currency of revenueThisMonth and avgRevenuePerUser
 * @param revenueThisMonthByCurrency  the exact sums of this month per currency, never converted
 * @param revenueByCurrency           the exact all-time sums per currency, never converted
 * @param unconvertedCurrencies       currencies of revenueByCurrency without a configured rate
 * @param eventsThisMonth             activity events this month
 * @param eventsThisWeek              activity events this week
 * @param topContentByEngagement      the most connected content-like things, most first
 * @param averageEngagementPerContent connections of content-like things / content-like things
 * @param avgEventsPerUser            all-time activity events / userCount
 * @param avgRevenuePerUser           all-time revenue in {@code revenueCurrency} / userCount
 * @param isActive                    an activity event within the active window (30 days) before now
 * @param trendingUp                  more events this week than the week before
 * @param lastComputed                when this was computed (the service clock)
 */
@Schema(
        description = "A group's metrics; this week is today and the 6 UTC days before, this month the calendar "
                + "month (UTC); all-time figures include archived events")
public record GroupMetrics(
        @Schema(description = "people-like things (user, creator)")
        long userCount,

        @Schema(description = "people-like things with an event as actor this week")
        long activeUsers,

        @Schema(description = "things of any type") long totalEntities,

        @Schema(description = "bytes: properties + knowledge text + 4 per embedding dimension")
        long storageUsed,

        @Schema(description = "storageUsed / 1,048,576, two decimals")
        BigDecimal storageUsedMB,

        @Schema(description = "sum of count of api_call events this month")
        long apiCallsThisMonth,

        @Schema(
                description = "sum of amount of revenue_generated events this month, in revenueCurrency: each "
                        + "currency's sum converted at its configured rate (strata.metrics.revenue.rates), currencies "
                        + "without a rate left out (see unconvertedCurrencies); two decimals")
        BigDecimal revenueThisMonth,

        @Schema(
                description = "the currency of revenueThisMonth and avgRevenuePerUser "
                        + "(strata.metrics.revenue.reporting-currency)")
        String revenueCurrency,

        @Schema(
                description = "exact sum of amount of revenue_generated events this month per currency (ISO 4217 "
                        + "code), never converted")
        Map<String, BigDecimal> revenueThisMonthByCurrency,

        @Schema(
                description = "exact all-time sum of amount of revenue_generated events per currency (ISO 4217 "
                        + "code), never converted")
        Map<String, BigDecimal> revenueByCurrency,

        @Schema(
                description = "currencies of revenueByCurrency without a configured rate: left out of "
                        + "revenueThisMonth and avgRevenuePerUser")
        List<String> unconvertedCurrencies,

        @Schema(description = "activity events this month") long eventsThisMonth,
        @Schema(description = "activity events this week") long eventsThisWeek,

        @Schema(description = "the most connected content-like things, most first (at most 10)")
        List<TopContent> topContentByEngagement,

        @Schema(description = "connections of content-like things / content-like things")
        BigDecimal averageEngagementPerContent,

        @Schema(description = "all-time activity events / userCount")
        BigDecimal avgEventsPerUser,

        @Schema(description = "all-time revenue in revenueCurrency / userCount, two decimals")
        BigDecimal avgRevenuePerUser,

        @Schema(description = "an activity event in the last 30 days") @JsonProperty("isActive")
        boolean isActive,

        @Schema(description = "more activity events this week than the week before")
        boolean trendingUp,

        @Schema(description = "when this was computed") Instant lastComputed) {

    @Schema(description = "A content-like thing and its connections (inbound plus outbound, any type)")
    public record TopContent(UUID entityId, String name, String type, long connectionCount, Instant createdAt) {}
}
