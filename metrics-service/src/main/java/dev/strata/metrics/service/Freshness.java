package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * How fresh an answer is. {@code position} is the id of the last event applied for the group (null before the
 * first), {@code appliedAt} when it was applied, {@code lagMs} how long after its publication that was. When the
 * caller asked for {@code requestedPosition} and it was not applied within the wait, {@code stale} is true and the
 * answer is what was there.
 */
public record Freshness(String position, Instant appliedAt, Long lagMs, boolean stale,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String requestedPosition) {
}
