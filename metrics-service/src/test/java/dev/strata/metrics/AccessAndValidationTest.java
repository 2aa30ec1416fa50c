package dev.strata.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class AccessAndValidationTest {

    private static List<String> endpoints(Scenario s) {
        String base = "/groups/" + s.group;
        return List.of(
                base + "/metrics",
                base + "/creators/" + s.id("C1") + "/stats",
                base + "/things/" + s.id("C1") + "?relationships=true&knowledge=true",
                base + "/things/" + s.id("C1") + "/relationships",
                base + "/things/" + s.id("C1") + "/activity");
    }

    @Test
    void shouldRefuseAnotherTenantsTokenOnEveryEndpoint() {
        Scenario s = CreatorScenario.main();
        String stranger = TestTokens.forTenants(CreatorScenario.other().group);
        for (String path : endpoints(s)) {
            given().auth()
                    .oauth2(stranger)
                    .get(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/forbidden"));
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            given().auth().oauth2(TestTokens.admin()).get(path).then().statusCode(200);
            given().auth()
                    .oauth2(TestTokens.forTenants(UUID.randomUUID(), s.group))
                    .get(path)
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void shouldRefuseAdminEndpointsToTenantsAndServices() {
        Scenario s = CreatorScenario.main();
        for (String token : List.of(TestTokens.forTenants(s.group), TestTokens.service())) {
            given().auth()
                    .oauth2(token)
                    .post("/admin/projections/rebuild")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/forbidden"));
            given().auth()
                    .oauth2(token)
                    .get("/admin/projections/rebuild")
                    .then()
                    .statusCode(403);
            given().auth().oauth2(token).get("/admin/projections/lag").then().statusCode(403);
        }
        given().post("/admin/projections/rebuild").then().statusCode(401);
        given().get("/admin/projections/rebuild").then().statusCode(401);
        given().get("/admin/projections/lag").then().statusCode(401);
    }

    @Test
    void shouldReportTheProjectionLagOfWhatWasAppliedSinceAGivenTime() {
        CreatorScenario.main();
        JsonNode all = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .get("/admin/projections/lag")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(all.path("batches").asInt()).isPositive();
        assertThat(all.path("events").asInt())
                .isGreaterThanOrEqualTo(all.path("batches").asInt());
        assertThat(all.path("p50Ms").asLong())
                .isNotNegative()
                .isLessThanOrEqualTo(all.path("p99Ms").asLong());
        assertThat(all.path("p99Ms").asLong())
                .isLessThanOrEqualTo(all.path("maxMs").asLong());

        JsonNode none = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("since", Instant.now().plusSeconds(3600).toString())
                .get("/admin/projections/lag")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(none.path("events").asInt()).isZero();
        assertThat(none.path("p99Ms").isNull()).isTrue();

        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("since", "yesterday")
                .get("/admin/projections/lag")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("since"));
    }

    @Test
    void shouldAnswerProblemsForBadParameters() {
        Scenario s = CreatorScenario.main();
        String thing = "/groups/" + s.group + "/things/" + s.id("C1");
        for (Map<String, ?> query : List.of(
                Map.of("limit", 0),
                Map.of("limit", 101),
                Map.of("direction", "sideways"),
                Map.of("cursor", "not-a-cursor"))) {
            Api.call(s.group, thing + "/relationships", query)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/malformed-request"))
                    .body("errors[0].field", equalTo(query.keySet().iterator().next()));
        }
        Api.call(s.group, thing + "/activity", Map.of("limit", 101)).then().statusCode(400);
        Api.call(s.group, thing, Map.of("relationships", "maybe"))
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("relationships"));
        Api.call(s.group, "/groups/" + s.group + "/things/nope", Map.of())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("thingId"));
        Api.call(s.group, "/groups/" + s.group + "/metrics", Map.of("position", "42"))
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("position"));
        Api.call(s.group, "/groups/" + s.group + "/things/" + UUID.randomUUID(), Map.of())
                .then()
                .statusCode(404)
                .body("type", equalTo("https://strata.dev/problems/not-found"));
        Api.call(s.group, "/groups/" + s.group + "/creators/" + s.id("V1") + "/stats", Map.of())
                .then()
                .statusCode(404);
        Api.call(s.group, "/groups/" + s.group + "/things/" + UUID.randomUUID() + "/relationships", Map.of())
                .then()
                .statusCode(404);
    }

    @Test
    void shouldAnswerZerosForAGroupTheStreamNeverMentioned() {
        UUID group = UUID.randomUUID();
        Api.call(group, "/groups/" + group + "/metrics", Map.of())
                .then()
                .statusCode(200)
                .body("_computed.userCount", equalTo(0))
                .body("_computed.topContentByEngagement.size()", equalTo(0))
                .body("_computed.isActive", equalTo(false))
                .body("_freshness.position", equalTo(null));
    }
}
