package dev.strata.ingest.api;

import dev.strata.ingest.service.InventoryService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The source-of-truth counts of a group, which quota-service reconciles its event-fed counters against.
 * {@code storageBytes} = serialized properties of things + knowledge text bytes + 4 bytes per embedding dimension;
 * {@code events} counts the rows of the (hot) events table, batch entries included.
 */
@Path("/groups/{groupId}/inventory")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

    private final InventoryService inventory;
    private final TenantAccess access;

    public InventoryResource(InventoryService inventory, TenantAccess access) {
        this.inventory = inventory;
        this.access = access;
    }

    @Schema(description = "A group's source-of-truth counts, read in one snapshot", example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "things": 1250, "peopleLike": 40,
             "connections": 3100, "knowledge": 820, "storageBytes": 5242880, "events": 48211,
             "asOf": "2026-12-03T10:00:00Z"}""")
    public record InventoryView(
            UUID groupId,
            long things,

            @Schema(description = "things of the ontology's person category (user, creator)")
            long peopleLike,

            long connections,
            long knowledge,

            @Schema(description = "properties bytes of things + knowledge text bytes + 4 per embedding dimension")
            long storageBytes,

            @Schema(description = "rows of the hot events table, batch_import entries included")
            long events,

            Instant asOf) {}

    @GET
    @Operation(summary = "Count the group's things, people-like things, connections, knowledge, storage and events")
    @APIResponse(responseCode = "200", description = "the counts")
    @APIResponse(responseCode = "404", description = "not-found: no such group")
    public Uni<InventoryView> get(@RestPath String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        Instant asOf = Instant.now();
        return inventory
                .count(group)
                .map(counts -> new InventoryView(
                        group,
                        counts.things(),
                        counts.peopleLike(),
                        counts.connections(),
                        counts.knowledge(),
                        counts.storageBytes(),
                        counts.events(),
                        asOf));
    }
}
