package dev.strata.quota;

import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.events.EventEnvelope;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/quotas/groups}: the console's view of every group against its limits. Usage comes in as events
 * on the topic; each listed group's figures are compared with what its own {@code GET /groups/{g}/quotas} and
 * {@code /quotas/status} answer, read with the service token (whose calls are not metered, so reading does not move
 * the API-call counter being compared).
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class GroupsUsageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEMS = "https://strata.dev/problems/";

    @Test
    void shouldListGroupsNearestTheirLimitsFirstWithTheFiguresOfEachGroupsOwnQuotas() throws Exception {
        UUID exceeded = UUID.randomUUID();
        UUID entities = UUID.randomUUID();
        UUID users = UUID.randomUUID();
        send(groupCreated(exceeded, "starter"), groupCreated(entities, "starter"), groupCreated(users, "starter"));
        for (UUID group : List.of(exceeded, entities, users)) {
            awaitGroup(group);
        }
        // entities 5 of 2 (250 %); entities 9 of 10 (90 %); users 9 of 10 (90 %) with entities unlimited (0 %)
        setOverrides(exceeded, "{\"entities_total\": 2}");
        setOverrides(entities, "{\"entities_total\": 10}");
        setOverrides(users, "{\"entities_total\": -1, \"users\": 10}");
        List<EventEnvelope> events = new ArrayList<>();
        IntStream.range(0, 5).forEach(i -> events.add(thingCreated(exceeded, "video", 0)));
        IntStream.range(0, 9).forEach(i -> events.add(thingCreated(entities, "video", 0)));
        IntStream.range(0, 9).forEach(i -> events.add(thingCreated(users, "user", 0)));
        send(events);
        eventually(() -> quotas(exceeded).body("quotas.entities_total.current", equalTo(5)));
        eventually(() -> quotas(entities).body("quotas.entities_total.current", equalTo(9)));
        eventually(() -> quotas(users).body("quotas.users.current", equalTo(9)));

        // The two at 90 % tie: group id order decides.
        UUID firstTied = entities.toString().compareTo(users.toString()) < 0 ? entities : users;
        UUID secondTied = firstTied.equals(entities) ? users : entities;

        eventually(() -> {
            JsonNode answer = read(asAdmin()
                    .get("/admin/quotas/groups?limit=500")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            List<JsonNode> listed = new ArrayList<>();
            answer.get("groups").forEach(listed::add);
            assertThat(answer.get("totalGroups").asLong())
                    .isEqualTo(TestDatabase.scalar("SELECT count(*) FROM quota.groups"));
            assertThat(listed)
                    .hasSize((int) Math.min(500, answer.get("totalGroups").asLong()));
            for (int i = 1; i < listed.size(); i++) {
                JsonNode before = listed.get(i - 1);
                JsonNode after = listed.get(i);
                double higher = before.get("highestPercentUsed").asDouble();
                double lower = after.get("highestPercentUsed").asDouble();
                assertThat(higher > lower
                                || higher == lower
                                        && before.get("groupId")
                                                        .asText()
                                                        .compareTo(after.get("groupId")
                                                                .asText())
                                                < 0)
                        .as("%s listed before %s", before, after)
                        .isTrue();
            }

            List<String> ids =
                    listed.stream().map(group -> group.get("groupId").asText()).toList();
            assertThat(ids).containsSubsequence(exceeded.toString(), firstTied.toString(), secondTied.toString());

            JsonNode top = listed.get(ids.indexOf(exceeded.toString()));
            assertThat(top.get("plan").asText()).isEqualTo("starter");
            assertThat(top.get("status").asText()).isEqualTo("exceeded");
            assertThat(top.get("nearestMetric").asText()).isEqualTo("entities_total");
            assertThat(top.get("highestPercentUsed").asDouble()).isEqualTo(250.0);
            assertThat(top.get("quotas").get("entities_total")).isEqualTo(read("""
                    {"current": 5, "limit": 2, "percentUsed": 250.0, "status": "exceeded"}"""));

            JsonNode byEntities = listed.get(ids.indexOf(entities.toString()));
            assertThat(byEntities.get("status").asText()).isEqualTo("warning");
            assertThat(byEntities.get("nearestMetric").asText()).isEqualTo("entities_total");
            assertThat(byEntities.get("highestPercentUsed").asDouble()).isEqualTo(90.0);

            JsonNode byUsers = listed.get(ids.indexOf(users.toString()));
            assertThat(byUsers.get("status").asText()).isEqualTo("warning");
            assertThat(byUsers.get("nearestMetric").asText()).isEqualTo("users");
            assertThat(byUsers.get("highestPercentUsed").asDouble()).isEqualTo(90.0);
            assertThat(byUsers.get("quotas").get("entities_total")).isEqualTo(read("""
                    {"current": 9, "limit": null, "percentUsed": null, "status": "unlimited"}"""));

            for (UUID group : List.of(exceeded, entities, users)) {
                JsonNode own = read(asService()
                        .get("/groups/{g}/quotas", group)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
                JsonNode status = read(asService()
                        .get("/groups/{g}/quotas/status", group)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
                JsonNode entry = listed.get(ids.indexOf(group.toString()));
                assertThat(entry.get("quotas")).as("quotas of %s", group).isEqualTo(own.get("quotas"));
                assertThat(entry.get("plan")).isEqualTo(own.get("plan"));
                assertThat(entry.get("status")).isEqualTo(status.get("status"));
            }
        });

        JsonNode page = read(asAdmin()
                .get("/admin/quotas/groups")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(page.get("groups").size())
                .isEqualTo((int) Math.min(20, page.get("totalGroups").asLong()));
        assertThat(page.get("measuredAt").asText()).isNotBlank();
        asAdmin().get("/admin/quotas/groups?limit=1").then().statusCode(200).body("groups.size()", equalTo(1));
    }

    @Test
    void shouldRefuseEveryoneButTheAdmin() {
        for (String token : List.of(TestTokens.forTenants(UUID.randomUUID()), TestTokens.service())) {
            given().auth()
                    .oauth2(token)
                    .get("/admin/quotas/groups")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }
        given().get("/admin/quotas/groups").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseALimitOutsideOneTo500() {
        for (String limit : List.of("0", "501", "-1", "abc", "1.5", "99999999999999999999")) {
            asAdmin()
                    .get("/admin/quotas/groups?limit=" + limit)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-request"))
                    .body("errors[0].field", equalTo("limit"));
        }
        asAdmin().get("/admin/quotas/groups?limit=500").then().statusCode(200);
    }

    private static RequestSpecification asService() {
        return given().auth().oauth2(TestTokens.service());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
