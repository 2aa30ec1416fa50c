package dev.strata.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.ingest.service.EventService;
import dev.strata.ingest.service.RawJson;
import dev.strata.ingest.store.EventStore.EventRow;
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

/**
 * The group's events (the hot part of table {@code events}: archived events live in the S3 archive), newest first. The cursor is
 * the (timestamp, id) of the last row, so back-filled events that land between pages never shift a page.
 */
@Path("/groups/{groupId}/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventService events;
    private final TenantAccess access;

    public EventResource(EventService events, TenantAccess access) {
        this.events = events;
        this.access = access;
    }

    @Schema(description = "An event of the group")
    public record EventView(
            UUID id,
            UUID groupId,
            String type,
            UUID actorId,
            UUID targetId,
            @Schema(description = "when it happened") Instant timestamp,

            @Schema(implementation = Map.class, description = "free-form JSON object, as stored")
            JsonNode metadata,

            @Schema(description = "when Strata logged it") Instant recordedAt) {}

    @Schema(description = "A page of the group's events, newest first", example = """
            {"events": [{"id": "5f0c2a9e-1b7d-4c3e-8a6f-2d9b4e7c1a30",
                         "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "revenue_generated",
                         "actorId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "targetId": null,
                         "timestamp": "2026-12-01T09:30:00Z", "metadata": {"amount": 49.00, "currency": "EUR"},
                         "recordedAt": "2026-12-01T09:30:02Z"}],
             "count": 1, "limit": 1, "hasMore": true,
             "nextCursor": "MjAyNi0xMi0wMVQwOTozMDowMFp8NWYwYzJhOWUtMWI3ZC00YzNlLThhNmYtMmQ5YjRlN2MxYTMw"}""")
    public record EventPage(
            List<EventView> events,
            @Schema(description = "events on this page") int count,
            int limit,
            boolean hasMore,

            @Schema(description = "pass as cursor for the next page; null on the last")
            String nextCursor) {}

    @GET
    @Operation(summary = "List the group's events newest first, optionally of one type; pass nextCursor back as cursor")
    @APIResponse(responseCode = "200", description = "a page of events")
    public Uni<EventPage> list(
            @RestPath String groupId,
            @RestQuery String type,
            @RestQuery String cursor,
            @Parameter(description = "page size, 1 to 1000 (default 50)") @RestQuery String limit) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int size = PageCursors.pageSize(limit, ThingResource.DEFAULT_PAGE, ThingResource.MAX_PAGE);
        Cursors.TimeId before = Cursors.decodeTimeId(cursor);
        return events.page(
                        group,
                        type == null || type.isEmpty() ? null : type,
                        before == null ? null : before.time(),
                        before == null ? null : before.id(),
                        size + 1)
                .map(rows -> {
                    boolean more = rows.size() > size;
                    List<EventView> page = rows.stream()
                            .limit(size)
                            .map(row -> view(group, row))
                            .toList();
                    EventView last = page.isEmpty() ? null : page.get(page.size() - 1);
                    String next = more ? Cursors.encodeTimeId(last.timestamp(), last.id()) : null;
                    return new EventPage(page, page.size(), size, more, next);
                });
    }

    private EventView view(UUID group, EventRow row) {
        return new EventView(
                row.id(),
                group,
                row.type(),
                row.actorId(),
                row.targetId(),
                row.timestamp(),
                RawJson.of(row.metadataJson()),
                row.recordedAt());
    }
}
