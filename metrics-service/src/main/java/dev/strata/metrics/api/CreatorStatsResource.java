package dev.strata.metrics.api;

import dev.strata.metrics.api.Responses.CreatorStatsResponse;
import dev.strata.metrics.service.CreatorStatsService;
import dev.strata.metrics.service.FreshnessService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** A creator's statistics: the thing plus {@code _computed}, from rollups kept by the stream. */
@Path("/groups/{groupId}/creators/{creatorId}/stats")
@Produces(MediaType.APPLICATION_JSON)
public class CreatorStatsResource {

    private final CreatorStatsService service;
    private final FreshnessService freshness;
    private final TenantAccess access;

    public CreatorStatsResource(CreatorStatsService service, FreshnessService freshness, TenantAccess access) {
        this.service = service;
        this.freshness = freshness;
        this.access = access;
    }

    @GET
    @Operation(summary = "A creator with _computed statistics; ?position=<event id> waits until that event is applied")
    @APIResponse(
            responseCode = "200",
            description = "the creator and its statistics; Strata-Position and, when the "
                    + "wait gave up, Strata-Stale: true")
    @APIResponse(
            responseCode = "404",
            description =
                    "not-found: no such thing in this group, or it is not a " + "people-like thing (user, creator)")
    public Uni<RestResponse<CreatorStatsResponse>> stats(
            @RestPath String groupId, @RestPath String creatorId, @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID creator = PathIds.uuid(creatorId, "creatorId");
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> service.stats(group, creator)
                        .map(result -> Responses.fresh(
                                new CreatorStatsResponse(result.thing(), result.computed(), fresh), fresh)));
    }
}
