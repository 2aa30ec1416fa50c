package dev.strata.quota.client;

import dev.strata.support.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * ingest-service, as quota-service calls it: with the service token ({@code strata.service-token}, role
 * {@code service}), at {@code quarkus.rest-client.ingest.url}. Its methods are hidden from quota-service's OpenAPI:
 * they are ingest-service's operations, which its own document describes.
 */
@RegisterRestClient(configKey = "ingest")
@RegisterClientHeaders(ServiceToken.class)
@Path("/groups/{groupId}")
@Produces(MediaType.APPLICATION_JSON)
public interface IngestClient {

    /** The group: its plan and when the plan was set. A group ingest does not know answers 404. */
    @GET
    @Operation(hidden = true)
    Uni<IngestGroup> group(@PathParam("groupId") UUID groupId);

    /** The group's source-of-truth counts (SPEC section 2). A group ingest does not know answers 404. */
    @GET
    @Operation(hidden = true)
    @Path("/inventory")
    Uni<Inventory> inventory(@PathParam("groupId") UUID groupId);

    /**
     * Whether the write with this batch id committed; if it has not, ingest makes that final (the write can no
     * longer commit) before it answers. The answer never changes once given.
     */
    @POST
    @Operation(hidden = true)
    @Path("/batches/{batchId}:resolve")
    Uni<BatchOutcome> resolveBatch(@PathParam("groupId") UUID groupId, @PathParam("batchId") UUID batchId);
}
