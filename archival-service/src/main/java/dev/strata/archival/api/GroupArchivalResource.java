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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Archival of one group on demand, restore of a time range of its archived events, and its legal hold. Admin only
 * (the group's runs, which its tenant may read, are {@link GroupRunsResource}'s).
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

    public GroupArchivalResource(
            ArchivalService archival, RestoreService restores, LegalHolds holds, JsonWebToken caller) {
        this.archival = archival;
        this.restores = restores;
        this.holds = holds;
        this.caller = caller;
    }

    /** {@code reason}: why the group's archive must be kept (a case, a request), 1 to 1,000 characters. */
    @Schema(description = "Why the group's archive must be kept: 1 to 1,000 characters, not blank", example = """
            {"reason": "Litigation hold, case 2026-114"}""")
    public record HoldRequest(String reason) {}

    @GET
    @Path("/legal-hold")
    @Operation(summary = "The group's legal hold")
    @APIResponse(
            responseCode = "200",
            description = "the hold",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Hold.class),
                            examples = @ExampleObject(name = "held", value = """
                            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "reason": "Litigation hold, case 2026-114", "placedBy": "ops-admin",
                             "placedAt": "2026-12-03T10:15:30.412Z"}""")))
    @APIResponse(responseCode = "404", description = "not-found: the group has no legal hold")
    public Uni<Hold> legalHold(@PathParam("groupId") String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return holds.find(group)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Group " + group + " has no legal hold."));
    }

    @PUT
    @Path("/legal-hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Place a legal hold on the group's archive",
            description =
                    "Until it is lifted, no archived object of the group is removed for the archive's" + " retention.")
    @APIResponse(
            responseCode = "200",
            description = "held (a repeat replaces the reason)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Hold.class),
                            examples = @ExampleObject(name = "held", value = """
                            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "reason": "Litigation hold, case 2026-114", "placedBy": "ops-admin",
                             "placedAt": "2026-12-03T10:15:30.412Z"}""")))
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: the reason is missing, blank or longer than" + " 1,000 characters")
    public Uni<Hold> placeLegalHold(@PathParam("groupId") String groupId, HoldRequest request) {
        UUID group = PathIds.uuid(groupId, "groupId");
        String reason = request == null ? null : request.reason();
        if (reason == null || reason.isBlank() || reason.length() > 1_000) {
            throw ProblemException.validation(
                    "A legal hold needs its reason.",
                    List.of(FieldError.of("reason", "required, 1 to 1000 characters, not blank")));
        }
        return holds.place(group, reason, caller.getName());
    }

    @DELETE
    @Path("/legal-hold")
    @Operation(
            summary = "Lift the group's legal hold",
            description = "The next run over every group expires what the archive's retention allows.")
    @APIResponse(responseCode = "204", description = "lifted")
    @APIResponse(responseCode = "404", description = "not-found: the group has no legal hold")
    public Uni<RestResponse<Void>> liftLegalHold(@PathParam("groupId") String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return holds.lift(group).map(lifted -> {
            if (!lifted) {
                throw ProblemException.notFound("Group " + group + " has no legal hold.");
            }
            return RestResponse.noContent();
        });
    }

    /** 202 with the run; {@code daysCutoff} defaults to the group's retention (its override, plan or default). */
    @POST
    @Operation(summary = "Start an archive run for this group with its own cut-off")
    @APIResponse(
            responseCode = "202",
            description = "accepted: the run started, or the same group's run with the same"
                    + " cut-off already running (created=false)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ArchivalResource.Accepted.class),
                            examples = @ExampleObject(name = "started", value = """
                            {"id": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "kind": "archive", "status": "running", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
                             "daysCutoff": 365, "startedAt": "2026-12-03T10:15:30.412Z", "created": true,
                             "href": "/archival/runs/0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f"}""")))
    @APIResponse(responseCode = "409", description = "conflict: another run is active (activeRunId names it)")
    public Uni<RestResponse<ArchivalResource.Accepted>> archive(
            @PathParam("groupId") String groupId, @QueryParam("daysCutoff") String daysCutoff) {
        UUID group = PathIds.uuid(groupId, "groupId");
        return daysCutoff(daysCutoff, group)
                .chain(days -> archival.startGroupArchive(group, days))
                .map(ArchivalResource.Accepted::response);
    }

    /** {@code [from, to)}: events with {@code from <= timestamp < to}. */
    @Schema(description = "The time range to restore, [from, to): events with from <= timestamp < to", example = """
            {"from": "2024-11-01T00:00:00Z", "to": "2024-12-01T00:00:00Z"}""")
    public record RestoreRequest(Instant from, Instant to) {}

    /** Blocking (S3 and the database in turn): runs on a worker thread. */
    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore the group's archived events of a time range to the hot store")
    @APIResponse(
            responseCode = "200",
            description = "restored: what came back, what was hot already, and what was" + " refused (left archived)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RestoreService.Result.class),
                            examples = @ExampleObject(name = "restored", value = """
                            {"runId": "0190f5c3-8d4f-7e5b-8f20-3b4c5d6e7f80", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "from": "2024-11-01T00:00:00Z",
                             "to": "2024-12-01T00:00:00Z", "restored": 1200, "alreadyPresent": 0, "refused": 0,
                             "objectsRead": 31, "objectsReplaced": 2, "objectsRemoved": 29, "objectsRefused": 0,
                             "manifestKey": "manifests/run=0190f5c3-8d4f-7e5b-8f20-3b4c5d6e7f80.json"}""")))
    @APIResponse(responseCode = "409", description = "conflict: another run is active (activeRunId names it)")
    @APIResponse(
            responseCode = "422",
            description =
                    "validation-failed: from or to missing or outside the years" + " 0001-9999, or to not after from")
    public RestoreService.Result restore(@PathParam("groupId") String groupId, RestoreRequest request) {
        UUID group = PathIds.uuid(groupId, "groupId");
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.validation(
                    "A body {from, to} is required.",
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
     * cut-off is a time the events table can hold.
     */
    private Uni<Integer> daysCutoff(String value, UUID group) {
        if (value == null || value.isEmpty()) {
            return archival.retentionDays(group);
        }
        return Uni.createFrom().item((int) PathIds.wholeNumber(value, "daysCutoff", 1, MAX_DAYS_CUTOFF));
    }
}
