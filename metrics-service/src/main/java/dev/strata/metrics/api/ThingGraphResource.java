package dev.strata.metrics.api;

import dev.strata.metrics.api.Responses.ActivityResponse;
import dev.strata.metrics.api.Responses.RelationshipsResponse;
import dev.strata.metrics.api.Responses.ThingResponse;
import dev.strata.metrics.service.Cursors;
import dev.strata.metrics.service.FreshnessService;
import dev.strata.metrics.service.ThingGraphService;
import dev.strata.metrics.service.ThingGraphService.Direction;
import dev.strata.metrics.store.GraphReadStore.ConnectionCursor;
import dev.strata.support.api.PageCursors;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** A thing with its relationships and knowledge, its relationships page by page, and its activity. */
@Path("/groups/{groupId}/things/{thingId}")
@Produces(MediaType.APPLICATION_JSON)
public class ThingGraphResource {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;

    private final ThingGraphService service;
    private final FreshnessService freshness;
    private final TenantAccess access;

    public ThingGraphResource(ThingGraphService service, FreshnessService freshness, TenantAccess access) {
        this.service = service;
        this.freshness = freshness;
        this.access = access;
    }

    @GET
    @Operation(summary = "A thing; relationships=true adds _relationships, knowledge=true adds _knowledge")
    @APIResponse(responseCode = "200", description = "the thing, with what was asked for")
    @APIResponse(responseCode = "404", description = "not-found: no such thing in this group")
    public Uni<RestResponse<ThingResponse>> thing(
            @RestPath String groupId,
            @RestPath String thingId,
            @RestQuery String relationships,
            @RestQuery String knowledge,
            @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID thing = PathIds.uuid(thingId, "thingId");
        boolean withRelationships = PathIds.flag(relationships, "relationships", false);
        boolean withKnowledge = PathIds.flag(knowledge, "knowledge", false);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> service.thing(group, thing, withRelationships, withKnowledge)
                        .map(detail -> Responses.fresh(
                                new ThingResponse(detail.thing(), detail.relationships(), detail.knowledge(), fresh),
                                fresh)));
    }

    @GET
    @Path("/relationships")
    @Operation(summary = "A page of the thing's relationships, newest first; pass nextCursor back as cursor")
    @APIResponse(responseCode = "200", description = "a page of at most limit relationships (1 to 100, default 20)")
    @APIResponse(responseCode = "404", description = "not-found: no such thing in this group")
    public Uni<RestResponse<RelationshipsResponse>> relationships(
            @RestPath String groupId,
            @RestPath String thingId,
            @RestQuery String direction,
            @RestQuery String type,
            @RestQuery String limit,
            @RestQuery String cursor,
            @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID thing = PathIds.uuid(thingId, "thingId");
        Direction which = direction(direction);
        String relationshipType = type == null || type.isEmpty() ? null : type;
        int size = PageCursors.pageSize(limit, DEFAULT_PAGE, MAX_PAGE);
        ConnectionCursor after = Cursors.decode(cursor);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> service.relationships(group, thing, which, relationshipType, after, size)
                        .map(page -> Responses.fresh(
                                new RelationshipsResponse(
                                        thing, which.name().toLowerCase(Locale.ROOT), relationshipType, page, fresh),
                                fresh)));
    }

    @GET
    @Path("/activity")
    @Operation(summary = "The thing's recent activity (as actor or target), newest first, with _actor and _target")
    @APIResponse(
            responseCode = "200",
            description = "at most limit events (1 to 100, default 20) of the recent "
                    + "window; totalEvents counts all time")
    @APIResponse(responseCode = "404", description = "not-found: no such thing in this group")
    public Uni<RestResponse<ActivityResponse>> activity(
            @RestPath String groupId, @RestPath String thingId, @RestQuery String limit, @RestQuery String position) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID thing = PathIds.uuid(thingId, "thingId");
        int size = PageCursors.pageSize(limit, DEFAULT_PAGE, MAX_PAGE);
        UUID waitFor = PathIds.optionalUuid(position, "position");
        return freshness
                .await(group, waitFor)
                .chain(fresh -> service.activity(group, thing, size)
                        .map(page -> Responses.fresh(new ActivityResponse(page, fresh), fresh)));
    }

    private static Direction direction(String value) {
        if (value == null || value.isEmpty()) {
            return Direction.BOTH;
        }
        return switch (value) {
            case "inbound" -> Direction.INBOUND;
            case "outbound" -> Direction.OUTBOUND;
            case "both" -> Direction.BOTH;
            default -> throw PathIds.invalid("direction", "must be inbound, outbound or both");
        };
    }
}
