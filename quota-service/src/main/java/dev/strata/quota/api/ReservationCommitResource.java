package dev.strata.quota.api;

import dev.strata.quota.api.ReservationResource.ReservationView;
import dev.strata.quota.service.ReservationService;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The writer's confirmation that the write a reference names committed: its reservations then hold until its
 * {@code batch_import} is applied, however long the consumer lags. Only a service (the writer) or an
 * administrator may say so. Idempotent: a repeat, or a confirmation that arrives after the reservations settled,
 * changes nothing.
 */
@Path("/groups/{groupId}/quotas/reservations:commit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({TenantAccess.SERVICE, TenantAccess.ADMIN})
public class ReservationCommitResource {

    private final ReservationService reservations;
    private final TenantAccess access;

    public ReservationCommitResource(ReservationService reservations, TenantAccess access) {
        this.reservations = reservations;
        this.access = access;
    }

    /** @param reference the write's reference (ingest: the batch id) */
    @Schema(description = "The confirmation that the write with this reference committed")
    public record CommitRequest(String reference) {}

    /** The reference's reservations as they are after the confirmation (none if it has none). */
    @Schema(description = "The reference's reservations after the confirmation (none if it has none)", example = """
            {"reference": "0190c0de-5b1e-7a3c-9f2d-3e4f5a6b7c8d",
             "reservations": [{"id": "7d1f0e2a-4b3c-4d5e-8f6a-9b0c1d2e3f4a", "metric": "entities_total", "amount": 250, "reference": "0190c0de-5b1e-7a3c-9f2d-3e4f5a6b7c8d",
                              "status": "committed", "createdAt": "2026-12-03T10:15:30.412Z", "expiresAt": "2026-12-03T10:20:30.412Z",
                              "committedAt": "2026-12-03T10:15:31.020Z", "closedAt": null}]}""")
    public record Committed(String reference, List<ReservationView> reservations) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Confirm that the write with this reference committed: its reservations hold until its "
                    + "events are applied")
    @APIResponse(responseCode = "200", description = "confirmed (a repeat changes nothing)")
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: the reference is missing, blank or longer" + " than allowed")
    public Uni<Committed> commit(
            @RestPath String groupId,
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = CommitRequest.class),
                                            examples = @ExampleObject(name = "batch", value = """
                            {"reference": "0190c0de-5b1e-7a3c-9f2d-3e4f5a6b7c8d"}""")))
                    CommitRequest request) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        if (request == null) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        return reservations
                .commit(group, request.reference())
                .map(rows -> new Committed(
                        request.reference(),
                        rows.stream()
                                .map(row -> ReservationView.of(row, reservations.status(row)))
                                .toList()));
    }
}
