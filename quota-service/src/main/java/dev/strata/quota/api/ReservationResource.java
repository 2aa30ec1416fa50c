package dev.strata.quota.api;

import dev.strata.quota.service.ReservationService;
import dev.strata.quota.store.Reservation;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Reservations: a writer (ingest, before a batch) asks for quota and gets it or a 409 quota-exceeded problem.
 * Amounts are in the metric's base unit: bytes for storage_gb, a count otherwise. The writer confirms a write
 * that committed through {@link ReservationCommitResource}.
 */
@Path("/groups/{groupId}/quotas/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationResource {

    private final ReservationService reservations;
    private final TenantAccess access;

    public ReservationResource(ReservationService reservations, TenantAccess access) {
        this.reservations = reservations;
        this.access = access;
    }

    /** @param reference what settles it: the batchId of the batch_import event of the write it reserves for */
    @Schema(
            description = "What to reserve: a metered metric and an amount in its base unit (bytes for storage_gb),"
                    + " and the reference of the write it is for (ingest: the batch id), which settles it")
    public record ReserveRequest(String metric, Long amount, String reference) {}

    @Schema(
            description = "A reservation granted; it holds until its write's events are applied or it is released",
            example = """
            {"id": "7d1f0e2a-4b3c-4d5e-8f6a-9b0c1d2e3f4a", "metric": "entities_total", "amount": 250, "expiresAt": "2026-12-03T10:20:30.412Z"}""")
    public record Granted(UUID id, String metric, long amount, Instant expiresAt) {}

    /** @param expiresAt when quota-service starts asking the writer about an unconfirmed reservation */
    @Schema(
            description = "A reservation and its state: open, committed (held until its events are applied),"
                    + " settled, released or expired",
            example = """
            {"id": "7d1f0e2a-4b3c-4d5e-8f6a-9b0c1d2e3f4a", "metric": "entities_total", "amount": 250, "reference": "0190c0de-5b1e-7a3c-9f2d-3e4f5a6b7c8d",
             "status": "committed", "createdAt": "2026-12-03T10:15:30.412Z", "expiresAt": "2026-12-03T10:20:30.412Z",
             "committedAt": "2026-12-03T10:15:31.020Z", "closedAt": null}""")
    public record ReservationView(
            UUID id,
            String metric,
            long amount,
            String reference,
            String status,
            Instant createdAt,
            Instant expiresAt,
            Instant committedAt,
            Instant closedAt) {

        static ReservationView of(Reservation row, String status) {
            return new ReservationView(
                    row.id,
                    row.metric,
                    row.amount,
                    row.reference,
                    status,
                    row.createdAt,
                    row.expiresAt,
                    row.committedAt,
                    row.closedAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve quota atomically, or refuse it whole when it would pass the limit")
    @APIResponse(
            responseCode = "201",
            description = "granted; Location names the reservation",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Granted.class)))
    @APIResponse(responseCode = "404", description = "not-found: quota-service does not know the group")
    @APIResponse(
            responseCode = "409",
            description =
                    "quota-exceeded: usage plus open reservations plus the amount"
                            + " would pass the limit; the problem carries metric, current, reserved, limit, requested and upgrade")
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: an unknown or unmetered metric, an amount"
                    + " below 1 or above the maximum, or a reference too long; each named in errors[]")
    public Uni<RestResponse<Granted>> reserve(
            @RestPath String groupId,
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = ReserveRequest.class),
                                            examples = @ExampleObject(name = "entities", value = """
                            {"metric": "entities_total", "amount": 250, "reference": "0190c0de-5b1e-7a3c-9f2d-3e4f5a6b7c8d"}""")))
                    ReserveRequest request) {
        UUID group = group(groupId);
        if (request == null) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        return reservations
                .reserve(group, request.metric(), request.amount(), request.reference())
                .map(row -> RestResponse.ResponseBuilder.<Granted>created(
                                URI.create("/groups/" + group + "/quotas/reservations/" + row.id))
                        .entity(new Granted(row.id, row.metric, row.amount, row.expiresAt))
                        .build());
    }

    @GET
    @Path("/{reservationId}")
    @Operation(
            summary = "A reservation: open, committed (held until its events are applied), settled, released or "
                    + "expired")
    @APIResponse(responseCode = "200", description = "the reservation")
    @APIResponse(responseCode = "404", description = "not-found: the group has no such reservation")
    public Uni<ReservationView> get(@RestPath String groupId, @RestPath String reservationId) {
        UUID group = group(groupId);
        UUID id = PathIds.uuid(reservationId, "reservationId");
        return reservations.find(group, id).map(this::view);
    }

    @DELETE
    @Path("/{reservationId}")
    @Operation(summary = "Release a reservation whose write did not commit")
    @APIResponse(responseCode = "204", description = "released, or closed already")
    @APIResponse(responseCode = "404", description = "not-found: the group has no such reservation")
    @APIResponse(
            responseCode = "409",
            description = "conflict: its write committed; only an administrator may" + " release it (a repair)")
    public Uni<RestResponse<Void>> release(@RestPath String groupId, @RestPath String reservationId) {
        UUID group = group(groupId);
        UUID id = PathIds.uuid(reservationId, "reservationId");
        return reservations.release(group, id, access.isAdmin()).map(done -> RestResponse.noContent());
    }

    private ReservationView view(Reservation row) {
        return ReservationView.of(row, reservations.status(row));
    }

    private UUID group(String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return group;
    }
}
