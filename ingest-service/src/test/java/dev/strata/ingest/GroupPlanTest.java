package dev.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Groups and their plans with the quota gate on: the plans are quota-service's ({@link PlansStandIn} here), so a
 * plan added there is assignable at creation and through {@code PUT /groups/{g}/plan} (admin only), which publishes
 * one {@code group_plan_changed} per real change; an unknown plan is a 422 that lists the known ones; quota-service
 * away after it listed its plans leaves the last list in use.
 */
@QuarkusTest
@TestProfile(GroupPlanTest.GateOn.class)
@WithTestResource(StrataTestStack.class)
class GroupPlanTest {

    public static class GateOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return QuotaStandIn.servedHere(
                    Map.of("strata.ingest.quota.enabled", "true", "strata.ingest.quota.plans-refresh", "300ms"));
        }
    }

    @AfterEach
    void restorePlans() {
        PlansStandIn.DOWN.set(false);
        PlansStandIn.PLANS.remove("team");
    }

    private static ExtractableResponse<Response> create(String body) {
        return given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body(body)
                .post("/groups")
                .then()
                .extract();
    }

    private static ExtractableResponse<Response> changePlan(UUID group, String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(body)
                .put("/groups/{g}/plan", group)
                .then()
                .extract();
    }

    @Test
    void shouldAssignAPlanQuotaServiceListsAndRefuseOneItDoesNot() {
        ExtractableResponse<Response> unknown = create("{\"name\": \"a team\", \"plan\": \"team\"}");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.<String>path("errors[0].field")).isEqualTo("plan");
        assertThat(unknown.<String>path("errors[0].error")).isEqualTo("must be one of starter, pro, enterprise");

        // quota-service's configuration gains a plan: assignable once the list is read again
        PlansStandIn.PLANS.add("team");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        create("{\"name\": \"a team\", \"plan\": \"team\"}").statusCode() == 201);
        ExtractableResponse<Response> defaulted = create("{\"name\": \"no plan given\"}");
        assertThat(defaulted.statusCode()).isEqualTo(201);
        assertThat(defaulted.<String>path("plan")).isEqualTo("starter");

        UUID group = UUID.fromString(defaulted.path("id"));
        Instant created = Instant.parse(defaulted.path("planChangedAt"));
        ExtractableResponse<Response> changed = changePlan(group, TestTokens.admin(), "{\"plan\": \"team\"}");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.<String>path("plan")).isEqualTo("team");
        assertThat(Instant.parse(changed.path("planChangedAt"))).isAfter(created);
        // the same plan again: no change, no event
        assertThat(changePlan(group, TestTokens.admin(), "{\"plan\": \"team\"}").<String>path("plan"))
                .isEqualTo("team");
        ExtractableResponse<Response> wrong = changePlan(group, TestTokens.admin(), "{\"plan\": \"gold\"}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.<String>path("errors[0].error")).isEqualTo("must be one of starter, pro, enterprise, team");
        assertThat(changePlan(group, TestTokens.forTenants(group), "{\"plan\": \"enterprise\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(changePlan(UUID.randomUUID(), TestTokens.admin(), "{\"plan\": \"pro\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(changePlan(group, TestTokens.admin(), "{\"plan\": 7").statusCode())
                .isEqualTo(400);
        assertThat(given().auth()
                        .oauth2(TestTokens.forTenants(group))
                        .get("/groups/{g}", group)
                        .then()
                        .extract()
                        .<String>path("plan"))
                .isEqualTo("team");

        try (EventStreamProbe stream = new EventStreamProbe()) {
            List<EventEnvelope> changes = stream.await(
                    group, EventStreamProbe.ofType(EventType.GROUP_PLAN_CHANGED), 1, Duration.ofSeconds(30));
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).data().path("plan").asText()).isEqualTo("team");
            assertThat(changes.get(0).data().path("previousPlan").asText()).isEqualTo("starter");
            assertThat(stream.all(group, Duration.ofSeconds(2)).stream()
                            .filter(e -> e.type().equals(EventType.GROUP_PLAN_CHANGED)))
                    .hasSize(1);
        }
    }

    @Test
    void shouldKeepTheLastListWhileQuotaServiceIsAway() throws InterruptedException {
        assertThat(create("{\"name\": \"before\", \"plan\": \"pro\"}").statusCode())
                .isEqualTo(201);
        PlansStandIn.DOWN.set(true);
        Thread.sleep(400); // past the refresh: the next creation asks, and gets no answer
        int asked = PlansStandIn.ASKED.get();
        assertThat(create("{\"name\": \"while away\", \"plan\": \"pro\"}").statusCode())
                .isEqualTo(201);
        assertThat(create("{\"name\": \"while away\", \"plan\": \"gold\"}").statusCode())
                .isEqualTo(422);
        assertThat(PlansStandIn.ASKED.get()).isGreaterThan(asked);
    }
}
