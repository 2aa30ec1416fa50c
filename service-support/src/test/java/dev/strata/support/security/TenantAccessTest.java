package dev.strata.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class TenantAccessTest {

    private static final UUID MINE = new UUID(0, 1);
    private static final UUID OTHER = new UUID(0, 2);

    @Test
    void shouldLetATenantTouchOnlyTheGroupsOfItsTenantsClaim() {
        JsonWebToken token = token("alice", Map.of(TenantAccess.TENANTS_CLAIM, List.of(MINE.toString())));
        TenantAccess access = new TenantAccess(identity(token), token);

        assertThat(access.mayAccess(MINE)).isTrue();
        assertThat(access.mayAccess(OTHER)).isFalse();
        assertThat(TenantAccess.mayAccess(identity(token), OTHER)).isFalse();
    }

    @Test
    void shouldRefuseAnotherTenantsGroupWithA403() {
        JsonWebToken token = token("alice", Map.of(TenantAccess.TENANTS_CLAIM, List.of(MINE.toString())));
        TenantAccess access = new TenantAccess(identity(token), token);

        assertThatThrownBy(() -> access.require(OTHER)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(403);
            assertThat(e.problem().detail()).isEqualTo("This token does not grant access to group " + OTHER + ".");
        });
    }

    @Test
    void shouldLetAdminsAndServicesTouchEveryGroup() {
        JsonWebToken admin = token("root", Map.of());
        JsonWebToken service = token("ingest", Map.of());

        assertThat(new TenantAccess(identity(admin, TenantAccess.ADMIN), admin).mayAccess(OTHER))
                .isTrue();
        assertThat(TenantAccess.mayAccess(identity(service, TenantAccess.SERVICE), OTHER))
                .isTrue();
        assertThat(new TenantAccess(identity(service, TenantAccess.SERVICE), service).isService())
                .isTrue();
    }

    @Test
    void shouldGrantNothingToATokenWithoutTenants() {
        JsonWebToken token = token("bob", Map.of());
        TenantAccess access = new TenantAccess(identity(token), token);

        assertThat(access.tenants()).isEmpty();
        assertThat(access.isPrivileged()).isFalse();
        assertThat(access.mayAccess(MINE)).isFalse();
    }

    @Test
    void shouldIgnoreATenantsClaimThatIsNotAList() {
        JsonWebToken token = token("carol", Map.of(TenantAccess.TENANTS_CLAIM, MINE.toString()));

        assertThat(new TenantAccess(identity(token), token).tenants()).isEmpty();
    }

    private static SecurityIdentity identity(JsonWebToken token, String... roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(token)
                .addRoles(Set.of(roles))
                .build();
    }

    private static JsonWebToken token(String subject, Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return subject;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return name.equals("sub") ? (T) subject : (T) claims.get(name);
            }
        };
    }
}
