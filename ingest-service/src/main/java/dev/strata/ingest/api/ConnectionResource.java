package dev.strata.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.service.ConnectionService;
import dev.strata.ingest.service.RawJson;
import dev.strata.ingest.store.ConnectionStore.ConnectionRow;
import dev.strata.ingest.store.ConnectionStore.Direction;
import dev.strata.support.api.PageCursors;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The group's connections in creation order with a cursor, optionally those of one thing and of one type. */
@Path("/groups/{groupId}/connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {

    private final ConnectionService connections;
    private final TenantAccess access;

    public ConnectionResource(ConnectionService connections, TenantAccess access) {
        this.connections = connections;
        this.access = access;
    }

    @Schema(description = "A connection between two things of the group")
    public record ConnectionView(
            UUID id,
            UUID groupId,
            UUID fromThingId,
            UUID toThingId,
            String relationshipType,

            @Schema(implementation = Map.class, description = "free-form JSON object, as stored")
            JsonNode metadata,

            @Schema(description = "0 to 1, or null") Double strength,
            Instant validFrom,
            Instant validTo,
            Instant createdAt) {}

    @Schema(description = "A page of connections in creation order", example = """
            {"connections": [{"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e700",
                              "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
                              "fromThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6",
                              "toThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f8", "relationshipType": "authored",
                              "metadata": {"role": "lead author"}, "strength": 0.9,
                              "validFrom": "2026-01-01T00:00:00Z", "validTo": null,
                              "createdAt": "2026-12-01T09:05:00Z"}],
             "count": 1, "limit": 20, "hasMore": false, "nextCursor": null}""")
    public record ConnectionPage(
            List<ConnectionView> connections,

            @Schema(description = "connections on this page")
            int count,

            int limit,
            boolean hasMore,

            @Schema(description = "pass as cursor for the next page; null on the last")
            String nextCursor) {}

    @GET
    @Operation(
            summary = "List connections in creation order; thingId with direction (outbound, inbound, both)"
                    + " narrows to one thing's; pass nextCursor back as cursor for the next page")
    @APIResponse(responseCode = "200", description = "a page of connections")
    public Uni<ConnectionPage> list(
            @RestPath String groupId,
            @RestQuery String thingId,
            @Parameter(description = "outbound, inbound or both (default); with thingId only") @RestQuery
                    String direction,
            @RestQuery String type,
            @RestQuery String cursor,
            @Parameter(description = "page size, 1 to 1000 (default 50)") @RestQuery String limit) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID thing = PathIds.optionalUuid(thingId, "thingId");
        Direction ends = direction(direction, thing);
        int size = PageCursors.pageSize(limit, ThingResource.DEFAULT_PAGE, ThingResource.MAX_PAGE);
        UUID after = Cursors.decodeId(cursor);
        return connections
                .page(group, thing, ends, type == null || type.isEmpty() ? null : type, after, size + 1)
                .map(rows -> {
                    boolean more = rows.size() > size;
                    List<ConnectionView> page =
                            rows.stream().limit(size).map(this::view).toList();
                    String next =
                            more ? Cursors.encodeId(page.get(page.size() - 1).id()) : null;
                    return new ConnectionPage(page, page.size(), size, more, next);
                });
    }

    private static Direction direction(String value, UUID thing) {
        if (value == null || value.isEmpty()) {
            return Direction.BOTH;
        }
        if (thing == null) {
            throw PathIds.invalid("direction", "is given only with thingId");
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "outbound" -> Direction.OUTBOUND;
            case "inbound" -> Direction.INBOUND;
            case "both" -> Direction.BOTH;
            default -> throw PathIds.invalid("direction", "must be outbound, inbound or both");
        };
    }

    private ConnectionView view(ConnectionRow row) {
        return new ConnectionView(
                row.id(),
                row.groupId(),
                row.fromThingId(),
                row.toThingId(),
                row.relationshipType(),
                RawJson.of(row.metadataJson()),
                row.strength(),
                row.validFrom(),
                row.validTo(),
                row.createdAt());
    }
}
