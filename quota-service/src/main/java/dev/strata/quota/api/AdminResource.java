package dev.strata.quota.api;

import dev.strata.quota.service.RebuildService;
import dev.strata.quota.service.RebuildService.RebuildReport;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;

/** Operations on all groups at once; admin only. */
@Path("/admin/quotas")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class AdminResource {

    static final Duration REBUILD_LIMIT = Duration.ofHours(1);

    private final RebuildService rebuild;

    public AdminResource(RebuildService rebuild) {
        this.rebuild = rebuild;
    }

    @POST
    @Path("/rebuild")
    @Operation(summary = "Rebuild every counter by replaying the event topic from the beginning; answers when done")
    public Uni<RebuildReport> rebuild() {
        return rebuild.rebuild(REBUILD_LIMIT);
    }
}
