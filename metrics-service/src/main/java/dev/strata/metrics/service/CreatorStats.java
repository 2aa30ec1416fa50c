package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The computed statistics of a creator (any people-like thing). All-time figures include archived events.
 *
 * @param totalRevenue      sum of {@code amount} of its {@code revenue_generated} events as actor (currencies are
 *                          not converted)
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
        @Schema(description = "sum of amount of its revenue_generated events as actor (currencies not converted)")
        BigDecimal totalRevenue,

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

        @Schema(description = "totalRevenue / contentCount, two decimals, 0 without content")
        BigDecimal revenuePerContent,

        @Schema(description = "when this was computed") Instant lastComputed,

        @Schema(description = "milliseconds spent computing it")
        long computationTime) {}
