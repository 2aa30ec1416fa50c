package dev.strata.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuotaAccessTest {

    private static RequestSpecification stranger() {
        return given().auth().oauth2(TestTokens.forTenants(UUID.randomUUID()));
    }

    @Test
    void shouldRefuseAnotherTenantsTokenOnEveryGroupEndpoint() {
        UUID group = UUID.randomUUID();
        String reservation = UUID.randomUUID().toString();
        String[] reads = {
            "/groups/{g}/quotas",
            "/groups/{g}/quotas/entities/check?count=1",
            "/groups/{g}/quotas/storage/check?bytes=1",
            "/groups/{g}/quotas/status",
            "/groups/{g}/quotas/history?metric=users",
            "/groups/{g}/quotas/overrides",
            "/groups/{g}/quotas/reservations/" + reservation
        };
        for (String path : reads) {
            stranger()
                    .get(path, group)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/forbidden"));
        }
        stranger()
                .contentType("application/json")
                .body("{\"metric\":\"users\",\"amount\":1}")
                .post("/groups/{g}/quotas/reservations", group)
                .then()
                .statusCode(403);
        stranger()
                .delete("/groups/{g}/quotas/reservations/" + reservation, group)
                .then()
                .statusCode(403);
    }

    @Test
    void shouldRefuseATenantTokenOnAdminEndpoints() {
        UUID group = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/json")
                .body("{\"users\": 1000}")
                .put("/groups/{g}/quotas/overrides", group)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .post("/admin/quotas/rebuild")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.service())
                .post("/admin/quotas/rebuild")
                .then()
                .statusCode(403);
        for (String token : new String[] {TestTokens.forTenants(group), TestTokens.service()}) {
            given().auth()
                    .oauth2(token)
                    .get("/admin/quotas/reconcile?groupId={g}", group)
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(token)
                    .post("/admin/quotas/reconcile/{g}/fix", group)
                    .then()
                    .statusCode(403);
            given().auth().oauth2(token).get("/admin/quotas/lag").then().statusCode(403);
            given().auth().oauth2(token).post("/admin/quotas/lag/window").then().statusCode(403);
        }
    }

    @Test
    void shouldAnswer401WithoutAToken() {
        given().get("/groups/{g}/quotas", UUID.randomUUID())
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().post("/admin/quotas/rebuild").then().statusCode(401);
        given().get("/admin/quotas/lag").then().statusCode(401);
        given().post("/admin/quotas/lag/window").then().statusCode(401);
    }

    @Test
    void shouldValidateOverrides() {
        UUID group = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"users\": -2, \"widgets\": 5, \"entities_total\": 1.5}")
                .put("/groups/{g}/quotas/overrides", group)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("users", "widgets", "entities_total"));
    }
}
