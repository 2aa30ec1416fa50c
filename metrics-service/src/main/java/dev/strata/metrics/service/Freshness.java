package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How fresh an answer is. {@code position} is the id of the last event applied for the group (null before the
 * first), {@code appliedAt} when it was applied, {@code lagMs} how long after its publication that was. When the
 * caller asked for {@code requestedPosition} and it was not applied within the wait, {@code stale} is true and the
 * answer is what was there.
 */
@Schema(description = "How fresh the answer is: where the group's projections stand in the event stream")
public record Freshness(
        @Schema(description = "id of the last event applied for the group; null before the first")
        String position,

        @Schema(description = "when that event was applied") Instant appliedAt,

        @Schema(description = "milliseconds from its publication to its application")
        Long lagMs,

        @Schema(description = "true when ?position= was not applied within the wait: the answer is what was there")
        boolean stale,

        @Schema(description = "the ?position= asked for, only when stale") @JsonInclude(JsonInclude.Include.NON_NULL)
        String requestedPosition) {}
