package dev.strata.ingest.api;

import dev.strata.ingest.service.GroupService;
import dev.strata.ingest.store.GroupStore.GroupRow;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Groups (tenants). Creating groups and changing plans is for the admin and service roles. */
@Path("/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GroupResource {

    private final GroupService groups;
    private final TenantAccess access;

    public GroupResource(GroupService groups, TenantAccess access) {
        this.groups = groups;
        this.access = access;
    }

    public record CreateGroup(String name, String plan) {
    }

    public record ChangePlan(String plan) {
    }

    /**
     * {@code planChangedAt}: when the plan in force was set, the time of the group's latest {@code group_created} or
     * {@code group_plan_changed} event. quota-service learns a group it has not seen yet from this answer and orders
     * it against those events by this time. The plan is the only thing about a group that changes, so it is
     * {@code updatedAt} today; it is a member of its own so that this stays true when something else may change.
     */
    public record GroupView(UUID id, String name, String plan, Instant planChangedAt, Instant createdAt,
                            Instant updatedAt) {
        static GroupView of(GroupRow row) {
            return new GroupView(row.id(), row.name(), row.plan(), row.updatedAt(), row.createdAt(), row.updatedAt());
        }
    }

    @POST
    @RolesAllowed({TenantAccess.ADMIN, TenantAccess.SERVICE})
    @Operation(summary = "Create a group (tenant); plan defaults to starter")
    public Uni<RestResponse<GroupView>> create(CreateGroup request) {
        if (request == null) {
            throw dev.strata.support.problem.ProblemException.badRequest("The body must be a JSON object.");
        }
        return groups.create(request.name(), request.plan())
                .map(row -> RestResponse.ResponseBuilder.<GroupView>created(URI.create("/groups/" + row.id()))
                        .entity(GroupView.of(row)).build());
    }

    @GET
    @Path("/{groupId}")
    @Operation(summary = "Read a group")
    public Uni<GroupView> get(@RestPath String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return groups.find(group).map(GroupView::of);
    }

    @PUT
    @Path("/{groupId}/plan")
    @RolesAllowed(TenantAccess.ADMIN)
    @Operation(summary = "Change a group's plan (publishes group_plan_changed)")
    public Uni<GroupView> changePlan(@RestPath String groupId, ChangePlan request) {
        if (request == null) {
            throw dev.strata.support.problem.ProblemException.badRequest("The body must be a JSON object.");
        }
        return groups.changePlan(PathIds.uuid(groupId, "groupId"), request.plan()).map(GroupView::of);
    }
}
