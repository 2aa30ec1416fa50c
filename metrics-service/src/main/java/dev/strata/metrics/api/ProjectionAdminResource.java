package dev.strata.metrics.api;

import dev.strata.metrics.service.ProjectionRebuilder;
import dev.strata.metrics.service.ProjectionRebuilder.RebuildStatus;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/** Operations on the projections themselves; role {@code admin} only, since they span every group. */
@Path("/admin/projections/rebuild")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class ProjectionAdminResource {

    private final ProjectionRebuilder rebuilder;

    public ProjectionAdminResource(ProjectionRebuilder rebuilder) {
        this.rebuilder = rebuilder;
    }

    @POST
    @Operation(
            summary = "Rebuild every projection by replaying the stream into rebuild tables (rebuild_*), then switch; "
                    + "202 with the run (the running one if a rebuild is under way)")
    @APIResponse(
            responseCode = "202",
            description = "the rebuild started, or the one this replica is running; "
                    + "Location: /admin/projections/rebuild",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RebuildStatus.class)))
    @APIResponse(responseCode = "409", description = "conflict: a rebuild is already running on another replica")
    public Uni<RestResponse<RebuildStatus>> rebuild() {
        return rebuilder
                .start()
                .map(status -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, status)
                        .location(URI.create("/admin/projections/rebuild"))
                        .build());
    }

    @GET
    @Operation(summary = "Progress of the current or latest rebuild")
    @APIResponse(responseCode = "200", description = "the current or latest rebuild")
    @APIResponse(responseCode = "404", description = "not-found: no projection rebuild has run yet")
    public Uni<RebuildStatus> status() {
        return rebuilder
                .status()
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No projection rebuild has run yet."));
    }
}
