package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /groups/{g}/imports}: a group's import jobs for the console's progress bars. */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ImportListTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEMS = "https://strata.dev/problems/";

    private static String upload(UUID group, String contentType, String body) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static void awaitFinished(UUID group, String id) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String status = given().auth()
                            .oauth2(TestTokens.forTenants(group))
                            .get("/imports/{id}", id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("status");
                    return status.equals("succeeded") || status.equals("failed");
                });
    }

    @Test
    void shouldListTheGroupsJobsNewestFirstWithStatusCountsAndPaceButNoItemErrors() {
        UUID group = newGroup("pro");
        // three lines, the second of them invalid: 3 processed, 2 created, 1 failed
        String first = upload(
                group,
                "application/x-ndjson",
                "{\"type\":\"user\",\"name\":\"a\"}\n"
                        + "{\"type\":\"spaceship\",\"name\":\"b\"}\n{\"type\":\"user\",\"name\":\"c\"}\n");
        awaitFinished(group, first);
        // two valid rows: 2 processed, 2 created
        String second = upload(group, "text/csv", "type,name\nvideo,v1\nvideo,v2\n");
        awaitFinished(group, second);

        JsonPath list = JsonPath.from(given().auth()
                        .oauth2(TestTokens.forTenants(group))
                        .get("/groups/{g}/imports", group)
                        .then()
                        .statusCode(200)
                        .body("imports[0]", not(hasKey("errors")))
                        .body("imports[1]", not(hasKey("errors")))
                        .extract()
                        .asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        assertThat(list.getString("groupId")).isEqualTo(group.toString());
        assertThat(list.getList("imports.id")).containsExactly(second, first);
        assertThat(list.getList("imports.groupId")).containsOnly(group.toString());
        assertThat(list.getList("imports.status")).containsExactly("succeeded", "succeeded");
        assertThat(list.getList("imports.format")).containsExactly("csv", "ndjson");
        assertThat(list.getList("imports.processed", Integer.class)).containsExactly(2, 3);
        assertThat(list.getList("imports.created", Integer.class)).containsExactly(2, 2);
        assertThat(list.getList("imports.failed", Integer.class)).containsExactly(0, 1);
        assertThat(list.getList("imports.percent", Double.class)).containsExactly(100.0, 100.0);
        assertThat(list.getList("imports.etaSeconds", Integer.class)).containsExactly(0, 0);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> job = list.getMap("imports[" + i + "]");
            // its pace: the items processed over the seconds from its start to its end, to 0.01
            Duration took = Duration.between(
                    Instant.parse((String) job.get("startedAt")), Instant.parse((String) job.get("finishedAt")));
            double seconds = took.getSeconds() + took.getNano() / 1e9;
            double expected = Math.round(((Number) job.get("processed")).longValue() * 100 / seconds) / 100.0;
            assertThat(((Number) job.get("itemsPerSecond")).doubleValue())
                    .as("job %d", i)
                    .isEqualTo(expected);
        }

        // One job's read keeps its item errors and has the same figures.
        JsonPath one = JsonPath.from(given().auth()
                        .oauth2(TestTokens.forTenants(group))
                        .get("/imports/{id}", first)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertThat(one.getList("errors.index", Integer.class)).containsExactly(1);
        assertThat(one.getString("errors[0].field")).isEqualTo("type");
        assertThat(one.getLong("etaSeconds")).isZero();
        assertThat(one.getDouble("itemsPerSecond")).isEqualTo(list.getDouble("imports[1].itemsPerSecond"));

        // limit: the newest only
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParam("limit", 1)
                .get("/groups/{g}/imports", group)
                .then()
                .statusCode(200)
                .body("imports.id", equalTo(List.of(second)));
    }

    @Test
    void shouldRefuseAnotherTenantAndBadLimitsAndShowTheAdminEveryGroup() {
        UUID group = newGroup("starter");
        String job = upload(group, "application/x-ndjson", "{\"type\":\"user\",\"name\":\"a\"}\n");
        UUID stranger = newGroup("starter");

        given().auth()
                .oauth2(TestTokens.forTenants(stranger))
                .get("/groups/{g}/imports", group)
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        // authorization comes before the parameters
        given().auth()
                .oauth2(TestTokens.forTenants(stranger))
                .queryParam("limit", "abc")
                .get("/groups/{g}/imports", group)
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON);

        for (String limit : List.of("0", "101", "abc", "-1", "99999999999999999999")) {
            given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .queryParam("limit", limit)
                    .get("/groups/{g}/imports", group)
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo(PROBLEMS + "malformed-request"))
                    .body("errors[0].field", equalTo("limit"));
        }
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParam("limit", 100)
                .get("/groups/{g}/imports", group)
                .then()
                .statusCode(200)
                .body("imports.id", equalTo(List.of(job)));

        given().auth()
                .oauth2(TestTokens.admin())
                .get("/groups/{g}/imports", group)
                .then()
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("imports.id", equalTo(List.of(job)));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/groups/{g}/imports", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/groups/{g}/imports", stranger)
                .then()
                .statusCode(200)
                .body("imports", equalTo(List.of()));
    }
}
