package dev.strata.ingest.api;

import dev.strata.ingest.service.GroupService;
import dev.strata.ingest.store.GroupEntity;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Groups (tenants). Creating groups and changing plans is for the admin and service roles. */
@Path("/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GroupResource {

    private static final String MALFORMED = "malformed-request: the body is not a JSON object of these fields "
            + "(malformed JSON, an unknown field, a wrong type, U+0000)";

    private final GroupService groups;
    private final TenantAccess access;

    public GroupResource(GroupService groups, TenantAccess access) {
        this.groups = groups;
        this.access = access;
    }

    @Schema(description = "A new group (tenant)", example = """
            {"name": "Acme Academy", "plan": "pro"}""")
    public record CreateGroup(
            @Schema(required = true, maxLength = 256, description = "non-blank")
            String name,

            @Schema(
                    description = "a plan quota-service lists (GET /plans at quota-service: starter, pro, "
                            + "enterprise by default); default starter")
            String plan) {}

    @Schema(description = "The plan a group moves to", example = """
            {"plan": "enterprise"}""")
    public record ChangePlan(
            @Schema(required = true, description = "a plan quota-service lists")
            String plan) {}

    /**
     * {@code planChangedAt}: when the plan in force was set, the time of the group's latest {@code group_created} or
     * {@code group_plan_changed} event. quota-service learns a group it has not seen yet from this answer and orders
     * it against those events by this time. The plan is the only thing about a group that changes, so it is
     * {@code updatedAt} today; it is a member of its own so that this stays true when something else may change.
     */
    @Schema(description = "A group (tenant)", example = """
            {"id": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "name": "Acme Academy", "plan": "pro",
             "planChangedAt": "2026-11-02T08:15:00Z", "createdAt": "2026-10-01T12:00:00Z",
             "updatedAt": "2026-11-02T08:15:00Z"}""")
    public record GroupView(
            UUID id,
            String name,
            String plan,

            @Schema(
                    description = "when the plan in force was set (the group's latest group_created or "
                            + "group_plan_changed event)")
            Instant planChangedAt,

            Instant createdAt,
            Instant updatedAt) {
        static GroupView of(GroupEntity group) {
            return new GroupView(group.id, group.name, group.plan, group.updatedAt, group.createdAt, group.updatedAt);
        }
    }

    @POST
    @RolesAllowed({TenantAccess.ADMIN, TenantAccess.SERVICE})
    @Operation(summary = "Create a group (tenant); plan defaults to starter; admin and service roles only")
    @APIResponse(
            responseCode = "201",
            description = "created (Location: /groups/{id}); publishes group_created",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED)
    @APIResponse(
            responseCode = "401",
            description = "unauthorized: no bearer token, or one that is expired, unsigned " + "or from another issuer")
    @APIResponse(responseCode = "403", description = "forbidden: the token has neither the admin nor the service role")
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: a blank name or one over 256 characters, or "
                    + "a plan quota-service does not list (the known ones named)")
    public Uni<RestResponse<GroupView>> create(CreateGroup request) {
        if (request == null) {
            throw dev.strata.support.problem.ProblemException.badRequest("The body must be a JSON object.");
        }
        return groups.create(request.name(), request.plan())
                .map(row -> RestResponse.ResponseBuilder.<GroupView>created(URI.create("/groups/" + row.id))
                        .entity(GroupView.of(row))
                        .build());
    }

    @GET
    @Path("/{groupId}")
    @Operation(summary = "Read a group")
    @APIResponse(responseCode = "200", description = "the group")
    @APIResponse(responseCode = "404", description = "not-found: no such group")
    public Uni<GroupView> get(@RestPath String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return groups.find(group).map(GroupView::of);
    }

    @PUT
    @Path("/{groupId}/plan")
    @RolesAllowed(TenantAccess.ADMIN)
    @Operation(summary = "Change a group's plan (publishes group_plan_changed unless it is the same); admin only")
    @APIResponse(responseCode = "200", description = "the group with its plan now")
    @APIResponse(responseCode = "400", description = MALFORMED + ", or the group id is not a UUID")
    @APIResponse(
            responseCode = "401",
            description = "unauthorized: no bearer token, or one that is expired, unsigned " + "or from another issuer")
    @APIResponse(responseCode = "403", description = "forbidden: the token lacks the admin role")
    @APIResponse(responseCode = "404", description = "not-found: no such group")
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: a plan quota-service does not list (the " + "known ones named)")
    public Uni<GroupView> changePlan(@RestPath String groupId, ChangePlan request) {
        if (request == null) {
            throw dev.strata.support.problem.ProblemException.badRequest("The body must be a JSON object.");
        }
        return groups.changePlan(PathIds.uuid(groupId, "groupId"), request.plan())
                .map(GroupView::of);
    }
}
