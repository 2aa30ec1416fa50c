package dev.strata.support.security;

import dev.strata.support.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Decides whether the caller may touch a group (SPEC section 6): the {@code admin} and {@code service} roles
 * may touch every group; everyone else only the groups listed in the token's {@code tenants} claim.
 */
@RequestScoped
public class TenantAccess {

    public static final String TENANTS_CLAIM = "tenants";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public TenantAccess(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    /** Throws a 403 problem unless the caller may touch {@code groupId}; another tenant's data is never read. */
    public void require(UUID groupId) {
        if (!mayAccess(groupId)) {
            throw ProblemException.forbidden("This token does not grant access to group " + groupId + ".");
        }
    }

    public boolean mayAccess(UUID groupId) {
        return isPrivileged() || tenants().contains(groupId.toString());
    }

    /**
     * The same rule for an identity at hand, where no request-scoped bean can be used: the transport edge
     * ({@code RequestEdge}) decides with it before the REST layer runs.
     */
    public static boolean mayAccess(SecurityIdentity identity, UUID groupId) {
        if (identity.hasRole(ADMIN) || identity.hasRole(SERVICE)) {
            return true;
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt
                && tenantsOf(jwt).contains(groupId.toString());
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }

    /** Whether the caller is a Strata service (role {@code service}). */
    public boolean isService() {
        return identity.hasRole(SERVICE);
    }

    public boolean isPrivileged() {
        return identity.hasRole(ADMIN) || identity.hasRole(SERVICE);
    }

    /** The tenant ids of the token; unreadable entries are ignored rather than trusted. */
    public Set<String> tenants() {
        return tenantsOf(token);
    }

    private static Set<String> tenantsOf(JsonWebToken token) {
        Object claim = token.getClaim(TENANTS_CLAIM);
        if (claim instanceof Collection<?> values) {
            return values.stream().map(TenantAccess::unquote).collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }

    public String subject() {
        return token.getSubject();
    }

    private static String unquote(Object value) {
        return value instanceof JsonString json ? json.getString() : value.toString();
    }
}
