package dev.strata.metrics.api;

import dev.strata.metrics.messaging.ProjectionLag;
import dev.strata.metrics.messaging.ProjectionLag.Snapshot;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/** This replica's publication-to-projection lag; role {@code admin} only, since it spans every group. */
@Path("/admin/projections/lag")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class ProjectionLagResource {

    private final ProjectionLag lag;

    public ProjectionLagResource(ProjectionLag lag) {
        this.lag = lag;
    }

    @GET
    @Operation(
            summary = "Lag (p50/p95/p99/max in ms) from each record's Kafka publication to the commit that"
                    + " applied it, over this replica's last batches; ?since=<RFC 3339 time> keeps the batches committed"
                    + " from then on")
    @APIResponse(responseCode = "200", description = "this replica's lag; percentiles null when no batch qualifies")
    public Snapshot lag(@RestQuery String since) {
        return lag.snapshot(PathIds.optionalInstant(since == null || since.isBlank() ? null : since, "since"));
    }
}
