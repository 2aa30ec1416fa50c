package dev.strata.archival.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.strata.support.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * quota-service, as archival-service calls it: with the service token ({@code strata.service-token}, role
 * {@code service}), at {@code quarkus.rest-client.quota.url}.
 */
@RegisterRestClient(configKey = "quota")
@RegisterClientHeaders(ServiceToken.class)
@Path("/quotas/retention")
@Produces(MediaType.APPLICATION_JSON)
public interface QuotaClient {

    /** A group's plan and its events_retention_days with the group's override; {@code days} null is unlimited. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GroupRetention(UUID groupId, String plan, Long days) {}

    /** {@code next}: the {@code after} of the next page, null on the last. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RetentionPage(List<GroupRetention> groups, UUID next) {}

    /** Every group quota-service knows, a page at a time in group id order; with {@code groupId}, that group alone. */
    /** Hidden: quota-service's operation, which its own OpenAPI describes, not one of archival-service's. */
    @GET
    @Operation(hidden = true)
    Uni<RetentionPage> retention(
            @QueryParam("groupId") UUID groupId, @QueryParam("after") UUID after, @QueryParam("limit") int limit);
}
