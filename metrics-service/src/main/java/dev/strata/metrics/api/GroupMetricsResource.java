package dev.strata.metrics.api;

import dev.strata.metrics.api.Responses.EventTimelineResponse;
import dev.strata.metrics.api.Responses.GroupMetricsResponse;
import dev.strata.metrics.api.Responses.TopCreatorsResponse;
import dev.strata.metrics.service.EventTimelineService;
import dev.strata.metrics.service.FreshnessService;
import dev.strata.metrics.service.GroupMetricsService;
import dev.strata.metrics.service.TopCreatorsService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A group's metrics ({@code _computed}), its events per day and type, and its top creators; a group the stream never
 * mentioned answers with zeros.
 */
@Path("/groups/{groupId}/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class GroupMetricsResource {

    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    static final int DEFAULT_CREATORS = 10;
    static final int MAX_CREATORS = 100;

    private final GroupMetricsService service;
    private final EventTimelineService timeline;
    private final TopCreatorsService creators;
    private final FreshnessService freshness;
    private final TenantAccess access;

    public GroupMetricsResource(
            GroupMetricsService service,
            EventTimelineService timeline,
            TopCreatorsService creators,
            FreshnessService freshness,
            TenantAccess access) {
        this.service = service;
        this.timeline = timeline;
        this.creators = creators;
        this.freshness = freshness;
        this.access = access;
    }

    @GET
    @Operation(summary = "The group's _computed metrics; ?position=<event id> waits until that event is applied")
    @APIResponse(
            responseCode = "200",
            description = "the group's metrics (zeros for a group the stream never "
                    + "mentioned); Strata-Position and, when the wait gave up, Strata-Stale: true")
    public Uni<RestResponse<GroupMetricsResponse>> metrics(@RestPath String groupId, @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> service.metrics(group)
                        .map(metrics -> Responses.fresh(new GroupMetricsResponse(group, metrics, fresh), fresh)));
    }

    @GET
    @Path("/events")
    @Operation(
            summary = "The group's activity events per UTC day and event type over the last days, zero days "
                    + "included")
    @APIResponse(
            responseCode = "200",
            description = "one entry per day from today - days + 1 to today (UTC), " + "oldest first")
    public Uni<RestResponse<EventTimelineResponse>> events(
            @RestPath String groupId,
            @Parameter(
                            description = "days to cover, today included",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "366",
                                            defaultValue = "30"))
                    @RestQuery
                    String days,
            @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int window = (int) PathIds.wholeNumber(days, "days", 1, MAX_DAYS, DEFAULT_DAYS);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> timeline.timeline(group, window)
                        .map(answer -> Responses.fresh(new EventTimelineResponse(answer, fresh), fresh)));
    }

    @GET
    @Path("/creators")
    @Operation(summary = "The group's top creators (people-like things) with their stats, most followed first")
    @APIResponse(
            responseCode = "200",
            description = "at most limit creators, by totalFollowers desc, then " + "totalEvents desc, then creatorId")
    public Uni<RestResponse<TopCreatorsResponse>> creators(
            @RestPath String groupId,
            @Parameter(
                            description = "creators to list",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "100",
                                            defaultValue = "10"))
                    @RestQuery
                    String limit,
            @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int size = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_CREATORS, DEFAULT_CREATORS);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> creators.top(group, size)
                        .map(answer -> Responses.fresh(new TopCreatorsResponse(answer, fresh), fresh)));
    }
}
