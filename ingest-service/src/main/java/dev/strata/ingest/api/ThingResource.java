package dev.strata.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.service.RawJson;
import dev.strata.ingest.service.ThingService;
import dev.strata.ingest.store.ThingStore.ThingRow;
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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Reads of the group's things: one by id, or all in creation order with a cursor. */
@Path("/groups/{groupId}/things")
@Produces(MediaType.APPLICATION_JSON)
public class ThingResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1000;

    private final ThingService things;
    private final TenantAccess access;

    public ThingResource(ThingService things, TenantAccess access) {
        this.things = things;
        this.access = access;
    }

    @Schema(description = "A thing", example = """
            {"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "type": "creator", "name": "Ada Lovelace", "properties": {"handle": "@ada", "followers": 1200},
             "status": "active", "createdAt": "2026-12-01T09:00:00Z", "updatedAt": "2026-12-02T10:30:00Z"}""")
    public record ThingView(
            UUID id,
            UUID groupId,
            String type,
            String name,

            @Schema(
                    implementation = Map.class,
                    description = "free-form JSON object, as stored (numbers exactly as " + "sent)")
            JsonNode properties,

            @Schema(enumeration = {"draft", "active", "published", "archived"})
            String status,

            Instant createdAt,
            Instant updatedAt) {}

    @Schema(description = "A page of things in creation order", example = """
            {"things": [{"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6",
                         "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "creator",
                         "name": "Ada Lovelace", "properties": {"handle": "@ada"}, "status": "active",
                         "createdAt": "2026-12-01T09:00:00Z", "updatedAt": "2026-12-01T09:00:00Z"}],
             "count": 1, "limit": 1, "hasMore": true, "nextCursor": "MDE5MGMxZjItN2EzYi03YzRkLTllNWYtYTFiMmMzZDRlNWY2"}""")
    public record ThingPage(
            List<ThingView> things,
            @Schema(description = "things on this page") int count,
            int limit,
            boolean hasMore,

            @Schema(description = "pass as cursor for the next page; null on the last")
            String nextCursor) {}

    @GET
    @Path("/{thingId}")
    @Operation(summary = "Read one thing")
    @APIResponse(responseCode = "200", description = "the thing")
    @APIResponse(responseCode = "404", description = "not-found: no such thing in this group")
    public Uni<ThingView> get(@RestPath String groupId, @RestPath String thingId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID id = PathIds.uuid(thingId, "thingId");
        return things.find(group, id).map(this::view);
    }

    @GET
    @Operation(
            summary = "List things in creation order, optionally of one type and status; pass nextCursor back as"
                    + " cursor for the next page")
    @APIResponse(responseCode = "200", description = "a page of things")
    public Uni<ThingPage> list(
            @RestPath String groupId,
            @RestQuery String type,
            @RestQuery String status,
            @RestQuery String cursor,
            @Parameter(description = "page size, 1 to 1000 (default 50)") @RestQuery String limit) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int size = PageCursors.pageSize(limit, DEFAULT_PAGE, MAX_PAGE);
        UUID after = Cursors.decodeId(cursor);
        return things.page(group, type, status, after, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<ThingView> page = rows.stream().limit(size).map(this::view).toList();
            String next = more ? Cursors.encodeId(page.get(page.size() - 1).id()) : null;
            return new ThingPage(page, page.size(), size, more, next);
        });
    }

    private ThingView view(ThingRow row) {
        return new ThingView(
                row.id(),
                row.groupId(),
                row.type(),
                row.name(),
                RawJson.of(row.propertiesJson()),
                row.status(),
                row.createdAt(),
                row.updatedAt());
    }
}
