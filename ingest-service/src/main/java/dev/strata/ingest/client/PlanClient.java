package dev.strata.ingest.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.strata.support.security.ServiceToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** quota-service's plan catalogue ({@code GET /plans}), called with the service token. */
@RegisterRestClient(configKey = "quota")
@RegisterClientHeaders(ServiceToken.class)
@Path("/plans")
@Produces(MediaType.APPLICATION_JSON)
public interface PlanClient {

    /** A plan as quota-service lists it; only its name is read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanName(String name) {}

    /** Hidden: a client, not an operation of ingest's (quota-service documents its own). */
    @GET
    @Operation(hidden = true)
    Uni<List<PlanName>> plans();
}
