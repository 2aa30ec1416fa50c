package dev.strata.metrics.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A group's creators (people-like things, as creator stats decide) ranked by followers, then events, then id; each
 * figure equals the same field of that creator's stats.
 */
@Schema(description = "A group's creators (people-like things) with their stats, most followed first")
public record TopCreators(
        UUID groupId,

        @Schema(description = "by totalFollowers desc, then totalEvents desc, then creatorId")
        List<CreatorSummary> creators) {

    /** A creator and the figures of its stats' {@code _computed} that rank it. */
    @Schema(
            description = "A creator and its figures, each equal to the same field of its /creators/{id}/stats "
                    + "_computed")
    public record CreatorSummary(
            UUID creatorId,
            String name,

            @Schema(description = "a people-like thing type (user, creator)")
            String type,

            @Schema(description = "following connections to it")
            long totalFollowers,

            @Schema(description = "its outbound authored connections")
            long contentCount,

            @Schema(description = "activity events with it as actor")
            long totalEvents,

            @Schema(description = "time of its latest event as actor; null if none")
            Instant lastActive) {}
}
