package dev.strata.archival.api;

import dev.strata.archival.service.ArchivalService;
import dev.strata.archival.service.LegalHolds;
import dev.strata.archival.service.RestoreService;
import dev.strata.archival.store.LegalHoldStore.Hold;
import dev.strata.model.problem.FieldError;
import dev.strata.model.time.TimeRange;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Archival of one group on demand, restore of a time range of its archived events, and its legal hold. Admin only.
 */
@Path("/groups/{groupId}/archival")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class GroupArchivalResource {

    static final int MAX_DAYS_CUTOFF = 100_000;

    private final ArchivalService archival;
    private final RestoreService restores;
    private final LegalHolds holds;
    private final JsonWebToken caller;

    public GroupArchivalResource(ArchivalService archival, RestoreService restores, LegalHolds holds,
                                 JsonWebToken caller) {
        this.archival = archival;
        this.restores = restores;
        this.holds = holds;
        this.caller = caller;
    }

    /** {@code reason}: why the group's archive must be kept (a case, a request), 1 to 1,000 characters. */
    public record HoldRequest(String reason) {
    }

    @GET
    @Path("/legal-hold")
    @Operation(summary = "The group's legal hold; 404 when it has none")
    public Uni<Hold> legalHold(@PathParam("groupId") String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return holds.find(group).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Group " + group + " has no legal hold."));
    }

    @PUT
    @Path("/legal-hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place a legal hold: no archived object of the group is removed for the archive's"
            + " retention until it is lifted")
    public Uni<Hold> placeLegalHold(@PathParam("groupId") String groupId, HoldRequest request) {
        UUID group = PathIds.uuid(groupId, "groupId");
        String reason = request == null ? null : request.reason();
        if (reason == null || reason.isBlank() || reason.length() > 1_000) {
            throw ProblemException.validation("A legal hold needs its reason.",
                    List.of(FieldError.of("reason", "required, 1 to 1000 characters, not blank")));
        }
        return holds.place(group, reason, caller.getName());
    }

    @DELETE
    @Path("/legal-hold")
    @Operation(summary = "Lift the group's legal hold; the next run expires what the archive's retention allows")
    public Uni<Response> liftLegalHold(@PathParam("groupId") String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return holds.lift(group).map(lifted -> {
            if (!lifted) {
                throw ProblemException.notFound("Group " + group + " has no legal hold.");
            }
            return Response.noContent().build();
        });
    }

    /** 202 with the run; {@code daysCutoff} defaults to the group's retention (its override, plan or default). */
    @POST
    public Uni<Response> archive(@PathParam("groupId") String groupId, @QueryParam("daysCutoff") String daysCutoff) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return daysCutoff(daysCutoff, group)
                .chain(days -> archival.startGroupArchive(group, days))
                .map(ArchivalResource.Accepted::response);
    }

    /** {@code [from, to)}: events with {@code from <= timestamp < to}. */
    public record RestoreRequest(Instant from, Instant to) {
    }

    /** Blocking (S3 and the database in turn): runs on a worker thread. */
    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestoreService.Result restore(@PathParam("groupId") String groupId, RestoreRequest request) {
        UUID group = PathIds.uuid(groupId, "groupId");
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.validation("A body {from, to} is required.",
                    List.of(FieldError.of("from", "required"), FieldError.of("to", "required")));
        }
        if (request.from() == null) {
            errors.add(FieldError.of("from", "required"));
        } else if (!TimeRange.contains(request.from())) {
            errors.add(FieldError.of("from", "must be " + TimeRange.DESCRIPTION));
        }
        if (request.to() == null) {
            errors.add(FieldError.of("to", "required"));
        } else if (!TimeRange.contains(request.to())) {
            errors.add(FieldError.of("to", "must be " + TimeRange.DESCRIPTION));
        }
        if (errors.isEmpty() && !request.from().isBefore(request.to())) {
            errors.add(FieldError.of("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("The restore range is not valid.", errors);
        }
        return restores.restore(group, request.from(), request.to());
    }

    /**
     * The group's retention when none is given; at most {@value #MAX_DAYS_CUTOFF} days (about 274 years), so the
     * cut-off is a time the event log can hold.
     */
    private Uni<Integer> daysCutoff(String value, UUID group) {
        if (value == null || value.isEmpty()) {
            return archival.retentionDays(group);
        }
        return Uni.createFrom().item((int) PathIds.wholeNumber(value, "daysCutoff", 1, MAX_DAYS_CUTOFF));
    }
}
