package dev.strata.archival.api;

import dev.strata.archival.service.ArchivalService;
import dev.strata.archival.service.RestoreService;
import dev.strata.model.problem.FieldError;
import dev.strata.model.time.TimeRange;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Archival of one group on demand, and restore of a time range of its archived events. Admin only. */
@Path("/groups/{groupId}/archival")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class GroupArchivalResource {

    static final int MAX_DAYS_CUTOFF = 100_000;

    private final ArchivalService archival;
    private final RestoreService restores;

    public GroupArchivalResource(ArchivalService archival, RestoreService restores) {
        this.archival = archival;
        this.restores = restores;
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
