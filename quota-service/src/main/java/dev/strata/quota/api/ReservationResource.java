package dev.strata.quota.api;

import dev.strata.quota.service.ReservationService;
import dev.strata.quota.store.ReservationStore.ReservationRow;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

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
    public record ReserveRequest(String metric, Long amount, String reference) {
    }

    public record Granted(UUID id, String metric, long amount, Instant expiresAt) {
    }

    /** @param expiresAt when quota-service starts asking the writer about an unconfirmed reservation */
    public record ReservationView(UUID id, String metric, long amount, String reference, String status,
                                  Instant createdAt, Instant expiresAt, Instant committedAt, Instant closedAt) {

        static ReservationView of(ReservationRow row, String status) {
            return new ReservationView(row.id(), row.metric(), row.amount(), row.reference(), status,
                    row.createdAt(), row.expiresAt(), row.committedAt(), row.closedAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve quota atomically; 409 quota-exceeded when usage plus open reservations would "
            + "pass the limit")
    public Uni<RestResponse<Granted>> reserve(@RestPath String groupId, ReserveRequest request) {
        UUID group = group(groupId);
        if (request == null) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        return reservations.reserve(group, request.metric(), request.amount(), request.reference())
                .map(row -> RestResponse.ResponseBuilder
                        .<Granted>created(URI.create("/groups/" + group + "/quotas/reservations/" + row.id()))
                        .entity(new Granted(row.id(), row.metric(), row.amount(), row.expiresAt()))
                        .build());
    }

    @GET
    @Path("/{reservationId}")
    @Operation(summary = "A reservation: open, committed (held until its events are applied), settled, released or "
            + "expired")
    public Uni<ReservationView> get(@RestPath String groupId, @RestPath String reservationId) {
        UUID group = group(groupId);
        UUID id = PathIds.uuid(reservationId, "reservationId");
        return reservations.find(group, id).map(this::view);
    }

    @DELETE
    @Path("/{reservationId}")
    @Operation(summary = "Release a reservation whose write did not commit; 409 for one whose write committed "
            + "(administrators excepted)")
    public Uni<RestResponse<Void>> release(@RestPath String groupId, @RestPath String reservationId) {
        UUID group = group(groupId);
        UUID id = PathIds.uuid(reservationId, "reservationId");
        return reservations.release(group, id, access.isAdmin()).map(done -> RestResponse.noContent());
    }

    private ReservationView view(ReservationRow row) {
        return ReservationView.of(row, reservations.status(row));
    }

    private UUID group(String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return group;
    }
}
