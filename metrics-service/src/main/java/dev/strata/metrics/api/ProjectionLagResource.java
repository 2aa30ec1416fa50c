package dev.strata.metrics.api;

import dev.strata.metrics.messaging.ProjectionLag;
import dev.strata.metrics.messaging.ProjectionLag.Snapshot;
import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

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
    @Operation(summary = "Lag (p50/p95/p99/max in ms) from each record's Kafka publication to the commit that"
            + " applied it, over this replica's last batches; ?since=<RFC 3339 time> keeps the batches committed"
            + " from then on")
    public Snapshot lag(@RestQuery String since) {
        return lag.snapshot(since == null || since.isBlank() ? null : instant(since));
    }

    private static Instant instant(String since) {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw ProblemException.validation("since must be an RFC 3339 time.",
                    List.of(FieldError.of("since", "an RFC 3339 time such as 2026-06-17T12:00:00Z")));
        }
    }
}
