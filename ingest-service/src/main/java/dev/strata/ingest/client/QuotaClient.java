package dev.strata.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.support.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * quota-service's reservation API, called with the service token. Answers are read raw (status + body). Its methods
 * are hidden: a client, not an operation of ingest's (quota-service documents its own).
 */
@RegisterRestClient(configKey = "quota")
@RegisterClientHeaders(ServiceToken.class)
@Path("/groups/{groupId}/quotas")
public interface QuotaClient {

    record ReserveRequest(String metric, long amount, String reference) {}

    record CommitRequest(String reference) {}

    @POST
    @Operation(hidden = true)
    @Path("/reservations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> reserve(@PathParam("groupId") String groupId, ReserveRequest request);

    @DELETE
    @Operation(hidden = true)
    @Path("/reservations/{reservationId}")
    Uni<Response> release(@PathParam("groupId") String groupId, @PathParam("reservationId") String reservationId);

    /** The write with this reference committed: its reservations hold until its events are applied. */
    @POST
    @Operation(hidden = true)
    @Path("/reservations:commit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> commit(@PathParam("groupId") String groupId, CommitRequest request);

    /** The body of a refusal, kept as JSON so every member quota-service sends reaches the client. */
    static JsonNode body(Response response) {
        return response.readEntity(JsonNode.class);
    }
}
