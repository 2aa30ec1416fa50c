package dev.strata.support.api;

import dev.strata.support.security.TenantAccess;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Tells callers what their token grants: the quickest answer to "why do I get 403?". */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    private final SecurityIdentity identity;
    private final TenantAccess access;

    public CallerResource(SecurityIdentity identity, TenantAccess access) {
        this.identity = identity;
        this.access = access;
    }

    @Schema(description = "What the caller's token grants", example = """
            {"subject": "acme-importer", "roles": [], "tenants": ["0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c"],
             "allGroups": false}""")
    public record Caller(String subject, Set<String> roles, Set<String> tenants, boolean allGroups) {}

    @GET
    @Operation(summary = "The caller's subject, roles and the groups the token grants")
    @APIResponse(responseCode = "200", description = "what the token grants")
    public Caller me() {
        return new Caller(
                access.subject(),
                new TreeSet<>(identity.getRoles()),
                new TreeSet<>(access.tenants()),
                access.isPrivileged());
    }
}
