package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchOutcomeService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/**
 * quota-service asks here about a reservation its writer never confirmed: did the write with this batch id commit?
 * The answer is final. "abandoned" means it did not and now never will (the batch id is fenced: the write, should
 * it still be on its way, fails at its commit); a write still in flight is waited for. POST, since answering may
 * write the fence. Services and administrators only.
 */
@Path("/groups/{groupId}/batches/{batchId}:resolve")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({TenantAccess.SERVICE, TenantAccess.ADMIN})
public class BatchOutcomeResource {

    private final BatchOutcomeService outcomes;
    private final TenantAccess access;

    public BatchOutcomeResource(BatchOutcomeService outcomes, TenantAccess access) {
        this.outcomes = outcomes;
        this.access = access;
    }

    /** @param outcome {@code committed} or {@code abandoned} */
    @Schema(description = "Whether the write with this batch id committed; final", example = """
            {"batchId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e600", "outcome": "committed"}""")
    public record BatchOutcomeView(
            UUID batchId,

            @Schema(
                    enumeration = {"committed", "abandoned"},
                    description = "abandoned: it did not commit and now " + "never will")
            String outcome) {}

    @POST
    @Operation(
            summary = "Whether the write with this batch id committed; if not, make sure it never does "
                    + "(service and admin roles)")
    @APIResponse(responseCode = "200", description = "the outcome; a write still in flight is waited for")
    @APIResponse(
            responseCode = "401",
            description = "unauthorized: no bearer token, or one that is expired, unsigned " + "or from another issuer")
    @APIResponse(responseCode = "403", description = "forbidden: the token has neither the service nor the admin role")
    public Uni<BatchOutcomeView> resolve(@RestPath String groupId, @RestPath String batchId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        UUID batch = PathIds.uuid(batchId, "batchId");
        return outcomes.resolve(group, batch)
                .map(outcome -> new BatchOutcomeView(batch, outcome.name().toLowerCase(Locale.ROOT)));
    }
}
