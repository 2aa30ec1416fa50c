package dev.strata.support.metering;

import dev.strata.support.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * quota-service's {@code GET /groups/{g}/quotas/api-calls}, called with the service token at
 * {@code quarkus.rest-client.quota.url}.
 */
@RegisterRestClient(configKey = "quota")
@RegisterClientHeaders(ServiceToken.class)
@Path("/groups/{groupId}/quotas/api-calls")
@Produces(MediaType.APPLICATION_JSON)
public interface QuotaAllowanceClient {

    /** Hidden: a client, not an operation of the service that holds it (quota-service documents its own). */
    @GET
    @Operation(hidden = true)
    Uni<ApiCallAllowance.Allowance> allowance(@PathParam("groupId") UUID groupId);
}
