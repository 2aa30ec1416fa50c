package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.strata.testing.PackagedStack;
import dev.strata.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * What the cases aim at, made through the API as a tenant would: tenant A's group (the attacker's own,
 * enterprise, so no limit of its own gets in the way) and tenant B's (the victim's, pro), each with a creator, a
 * user and a video, two connections, two events, a knowledge item, a finished import job of two things and an
 * open reservation; and a finished archival run of A's group. Returns the placeholders the corpus uses, once quota
 * and metrics have applied all of it.
 */
final class Fixtures {

    static final Duration EVENTUALLY = Duration.ofSeconds(120);
    /** Things per group: three by batch, two by the import job. */
    static final int THINGS = 5;

    private Fixtures() {}

    static Placeholders create(PackagedStack stack) {
        Map<String, String> values = new HashMap<>();
        UUID own = group(stack, "hostile-attacker", "enterprise");
        UUID other = group(stack, "hostile-victim", "pro");
        values.put("own", own.toString());
        values.put("other", other.toString());
        populate(stack, own, "own", values);
        populate(stack, other, "other", values);
        values.put("randomUuid", UUID.randomUUID().toString());

        String run = given(stack, "archival", TestTokens.admin())
                .post("/groups/{g}/archival", own)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        values.put("archivalRun", run);
        await(
                "archival run " + run + " finished",
                () -> given(stack, "archival", TestTokens.admin())
                        .get("/archival/runs/{id}", run)
                        .then()
                        .statusCode(200)
                        .body("status", not(equalTo("running"))));

        for (UUID group : List.of(own, other)) {
            String token = TestTokens.forTenants(group);
            await(
                    "quota-service counted group " + group,
                    () -> given(stack, "quota", token)
                            .get("/groups/{g}/quotas", group)
                            .then()
                            .statusCode(200)
                            .body("quotas.entities_total.current", equalTo(THINGS)));
            await(
                    "metrics-service counted group " + group,
                    () -> given(stack, "metrics", token)
                            .get("/groups/{g}/metrics", group)
                            .then()
                            .statusCode(200)
                            .body("_computed.totalEntities", equalTo(THINGS)));
        }
        return new Placeholders(values);
    }

    private static UUID group(PackagedStack stack, String name, String plan) {
        String id = given(stack, "ingest", TestTokens.admin())
                .body(Map.of("name", name, "plan", plan))
                .post("/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    /** Things, connections, events, knowledge, an import job and a reservation in {@code group}. */
    private static void populate(PackagedStack stack, UUID group, String prefix, Map<String, String> values) {
        String token = TestTokens.forTenants(group);
        List<String> things = batch(
                stack,
                token,
                group,
                "things",
                "{\"items\":[{\"type\":\"creator\",\"name\":\"creator\"},{\"type\":\"user\",\"name\":\"user\"},"
                        + "{\"type\":\"video\",\"name\":\"video\",\"properties\":{\"minutes\":3}}],"
                        + "\"options\":{\"atomic\":true}}");
        String creator = things.get(0);
        String user = things.get(1);
        String video = things.get(2);
        values.put(prefix + "Thing", creator);
        values.put(prefix + "User", user);
        values.put(prefix + "Video", video);

        List<String> connections = batch(
                stack,
                token,
                group,
                "connections",
                "{\"items\":[{\"fromThingId\":\"" + creator + "\",\"toThingId\":\"" + video
                        + "\",\"relationshipType\":\"authored\"},{\"fromThingId\":\"" + user + "\",\"toThingId\":\""
                        + creator + "\",\"relationshipType\":\"following\"}],\"options\":{\"atomic\":true}}");
        values.put(prefix + "Connection", connections.get(0));

        List<String> events = batch(
                stack,
                token,
                group,
                "events",
                "{\"items\":[{\"type\":\"revenue_generated\",\"actorId\":\"" + creator
                        + "\",\"metadata\":{\"amount\":10,\"currency\":\"EUR\"}},{\"type\":\"content_event\","
                        + "\"actorId\":\"" + user + "\",\"targetId\":\"" + video
                        + "\",\"metadata\":{\"action\":\"viewed\"}}],\"options\":{\"atomic\":true}}");
        values.put(prefix + "Event", events.get(0));

        List<String> knowledge = batch(
                stack,
                token,
                group,
                "knowledge",
                "{\"items\":[{\"sourceThingId\":\"" + creator + "\",\"kind\":\"label\",\"text\":\"bio\"}]}");
        values.put(prefix + "Knowledge", knowledge.get(0));

        String job = given(stack, "ingest", token)
                .contentType("application/x-ndjson")
                .body("{\"type\":\"course\",\"name\":\"imported 1\"}\n{\"type\":\"lesson\",\"name\":\"imported 2\"}\n"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        values.put(prefix + "Import", job);
        await(
                "import job " + job + " succeeded",
                () -> given(stack, "ingest", token)
                        .get("/imports/{id}", job)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("succeeded"))
                        .body("created", equalTo(2)));

        String reservation = given(stack, "quota", token)
                .body(Map.of("metric", "entities_total", "amount", 1, "reference", "hostile-setup-" + prefix))
                .post("/groups/{g}/quotas/reservations", group)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        values.put(prefix + "Reservation", reservation);
    }

    /**
     * A batch of the setup; its ids in input order. Right after start-up on a busy machine quota-service may not
     * answer ingest's reservation in time (503, nothing written): the batch is sent again with the same
     * Idempotency-Key until it is written.
     */
    private static List<String> batch(PackagedStack stack, String token, UUID group, String kind, String body) {
        String key = UUID.randomUUID().toString();
        AtomicReference<List<String>> created = new AtomicReference<>();
        await(kind + " batch written in group " + group, () -> {
            ExtractableResponse<Response> response = given(stack, "ingest", token)
                    .header("Idempotency-Key", key)
                    .body(body)
                    .post("/groups/{g}/" + kind + ":batch", group)
                    .then()
                    .extract();
            assertThat(response.statusCode())
                    .as("%s batch: %s", kind, response.asString())
                    .isEqualTo(200);
            created.set(response.path("created"));
        });
        return created.get();
    }

    private static RequestSpecification given(PackagedStack stack, String service, String token) {
        return RestAssured.given()
                .baseUri(stack.base(service))
                .auth()
                .oauth2(token)
                .contentType("application/json");
    }

    private static void await(String what, org.awaitility.core.ThrowingRunnable assertion) {
        Awaitility.await(what)
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(assertion);
    }
}
