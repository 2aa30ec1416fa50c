package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

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
public record CreatorStats(BigDecimal totalRevenue, long totalFollowers, Instant lastActive, long contentCount,
                           BigDecimal averageEngagement, long totalEvents, Map<String, Long> eventsByType,
                           @JsonProperty("isActive") boolean isActive, long accountAge,
                           BigDecimal revenuePerContent, Instant lastComputed, long computationTime) {
}
