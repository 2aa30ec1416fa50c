package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The computed statistics of a creator (any people-like thing). All-time figures include archived events.
 *
 * @param totalRevenue      sum of {@code amount} of its {@code revenue_generated} events as actor, in
 *                          {@code revenueCurrency}: each currency's sum converted at its configured rate, currencies
 *                          without a rate left out; two decimals
 * @param revenueCurrency   the reporting currency (strata.metrics.revenue.reporting-currency)
 * @param revenueByCurrency the exact sums per currency, never converted
 * @param unconvertedCurrencies currencies of revenueByCurrency without a configured rate, left out of totalRevenue
 *                          and revenuePerContent
 * @param totalFollowers    {@code following} connections to it
 * @param lastActive        time of its latest event as actor, or null
 * @param contentCount      its {@code authored} connections
 * @param averageEngagement followers / contentCount, two decimals, 0 without content
 * @param totalEvents       activity events with it as actor
 * @param eventsByType      the same, per event type
 * @param isActive          an event as actor within the active window (30 days) before now
 * @param accountAge        whole days since its creation
 * @param revenuePerContent totalRevenue / contentCount, two decimals, 0 without content
 * @param lastComputed      when this was computed (the service clock)
 * @param computationTime   milliseconds spent computing it
 */
@Schema(description = "A creator's statistics; all-time figures include archived events")
public record CreatorStats(
        @Schema(
                description = "sum of amount of its revenue_generated events as actor, in revenueCurrency: each "
                        + "currency's sum converted at its configured rate (strata.metrics.revenue.rates), currencies "
                        + "without a rate left out (see unconvertedCurrencies); two decimals")
        BigDecimal totalRevenue,

        @Schema(
                description = "the currency of totalRevenue and revenuePerContent "
                        + "(strata.metrics.revenue.reporting-currency)")
        String revenueCurrency,

        @Schema(
                description = "exact sum of amount of its revenue_generated events as actor per currency (ISO 4217 "
                        + "code), never converted")
        Map<String, BigDecimal> revenueByCurrency,

        @Schema(
                description = "currencies of revenueByCurrency without a configured rate: left out of totalRevenue "
                        + "and revenuePerContent")
        List<String> unconvertedCurrencies,

        @Schema(description = "following connections to it") long totalFollowers,

        @Schema(description = "time of its latest event as actor; null if none")
        Instant lastActive,

        @Schema(description = "its outbound authored connections")
        long contentCount,

        @Schema(description = "totalFollowers / contentCount, two decimals, 0 without content")
        BigDecimal averageEngagement,

        @Schema(description = "activity events with it as actor")
        long totalEvents,

        @Schema(description = "totalEvents per event type") Map<String, Long> eventsByType,

        @Schema(description = "an event as actor in the last 30 days") @JsonProperty("isActive")
        boolean isActive,

        @Schema(description = "whole days since its creation")
        long accountAge,

        @Schema(description = "totalRevenue / contentCount in revenueCurrency, two decimals, 0 without content")
        BigDecimal revenuePerContent,

        @Schema(description = "when this was computed") Instant lastComputed,

        @Schema(description = "milliseconds spent computing it")
        long computationTime) {}
