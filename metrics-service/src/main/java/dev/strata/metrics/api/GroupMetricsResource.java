package dev.strata.metrics.api;

import dev.strata.metrics.api.Responses.GroupMetricsResponse;
import dev.strata.metrics.service.FreshnessService;
import dev.strata.metrics.service.GroupMetricsService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;

/** A group's metrics ({@code _computed}); a group the stream never mentioned answers with zeros. */
@Path("/groups/{groupId}/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class GroupMetricsResource {

    private final GroupMetricsService service;
    private final FreshnessService freshness;
    private final TenantAccess access;

    public GroupMetricsResource(GroupMetricsService service, FreshnessService freshness, TenantAccess access) {
        this.service = service;
        this.freshness = freshness;
        this.access = access;
    }

    @GET
    @Operation(summary = "The group's _computed metrics; ?position=<event id> waits until that event is applied")
    public Uni<RestResponse<GroupMetricsResponse>> metrics(@RestPath String groupId, @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness.await(group, waitFor).chain(fresh -> service.metrics(group)
                .map(metrics -> Responses.fresh(new GroupMetricsResponse(group, metrics, fresh), fresh)));
    }
}
