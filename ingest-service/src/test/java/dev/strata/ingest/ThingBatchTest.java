package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.activity;
import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.postThings;
import static dev.strata.ingest.IngestClient.things;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ThingBatchTest {

    private static EventStreamProbe stream;

    @BeforeAll
    static void openStream() {
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void closeStream() {
        stream.close();
    }

    @Test
    void shouldWriteValidItemsAndReportInvalidOnesByIndexAndField() {
        UUID group = newGroup("pro");
        String body = """
                {"items": [
                  {"type": "creator", "name": "Ada", "properties": {"handle": "ada"}},
                  {"type": "spaceship", "name": "Nope"},
                  {"type": "video", "name": "   "},
                  {"type": "course", "name": "Intro", "status": "published"},
                  {"type": "video", "name": "Clip", "status": "deleted"},
                  {"type": "video", "name": 42}
                ]}""";
        var response = postThings(group, body)
                .statusCode(200)
                .body("created", hasSize(6))
                .body("created[0]", notNullValue())
                .body("created[1]", nullValue())
                .body("created[2]", nullValue())
                .body("created[3]", notNullValue())
                .body("created[4]", nullValue())
                .body("created[5]", nullValue())
                .body("failed", equalTo(4))
                .body("errors.index", contains(1, 2, 4, 5))
                .body("errors.field", contains("type", "name", "status", "name"))
                .body("errors[0].error", equalTo("unknown thing type 'spaceship'"))
                .body("summary.total", equalTo(6))
                .body("summary.success", equalTo(2))
                .body("summary.failed", equalTo(4))
                .body("summary.successRate", equalTo(33.33f))
                .body("batchId", notNullValue())
                .extract();
        assertThat(things(group)).isEqualTo(2);

        String adaId = response.path("created[0]");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/things/{id}", group, adaId)
                .then()
                .statusCode(200)
                .body("type", equalTo("creator"))
                .body("name", equalTo("Ada"))
                .body("status", equalTo("draft"))
                .body("properties.handle", equalTo("ada"));
        String courseId = response.path("created[3]");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/things/{id}", group, courseId)
                .then()
                .statusCode(200)
                .body("status", equalTo("published"));
        assertThat(activity(group, EventType.BATCH_IMPORT)).isEqualTo(1);
    }

    @Test
    void shouldRejectWholeBatchWhenAtomicAndOneItemInvalid() {
        UUID group = newGroup("pro");
        postThings(group, """
                {"items": [{"type": "user", "name": "ok"}, {"type": "user", "name": ""}],
                 "options": {"atomic": true}}""")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/validation-failed"))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("name"));
        assertThat(things(group)).isZero();
        assertThat(activity(group, EventType.BATCH_IMPORT)).isZero();
    }

    @Test
    void shouldApplyDefaultStatusToItemsWithoutOne() {
        UUID group = newGroup("pro");
        String id = postThings(group, """
                {"items": [{"type": "user", "name": "a"}, {"type": "user", "name": "b", "status": "archived"}],
                 "options": {"defaultStatus": "active"}}""").statusCode(200).extract().path("created[0]");
        assertThat(dev.strata.testing.TestDatabase.rows(
                        "SELECT name, status FROM ingest.things WHERE group_id = ? ORDER BY name", group))
                .containsExactly(List.of("a", "active"), List.of("b", "archived"));
        assertThat(id).isNotNull();
    }

    @Test
    void shouldLandTenThousandThingsAndTheirEventsOnTheTopic() {
        UUID group = newGroup("enterprise");
        String items = IntStream.range(0, 10_000)
                .mapToObj(i -> "{\"type\":\"" + (i % 2 == 0 ? "user" : "video") + "\",\"name\":\"item " + i
                        + "\",\"properties\":{\"n\":" + i + "}}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
        List<String> created = postThings(group, items)
                .statusCode(200)
                .body("summary.success", equalTo(10_000))
                .extract()
                .path("created");
        assertThat(things(group)).isEqualTo(10_000);

        List<EventEnvelope> thingEvents =
                stream.await(group, EventStreamProbe.ofType(EventType.THING_CREATED), 10_000, Duration.ofSeconds(60));
        Set<String> subjects = thingEvents.stream().map(EventEnvelope::subject).collect(Collectors.toSet());
        assertThat(subjects).isEqualTo(new HashSet<>(created));
        List<EventEnvelope> batchEvents =
                stream.await(group, EventStreamProbe.ofType(EventType.BATCH_IMPORT), 1, Duration.ofSeconds(10));
        assertThat(batchEvents).hasSize(1);
        assertThat(batchEvents.get(0).data().get("success").asInt()).isEqualTo(10_000);
        // Order is kept per group: the items in input order, the batch entry last.
        List<EventEnvelope> all = stream.all(group, Duration.ofMillis(300)).stream()
                .filter(e -> !e.type().equals(EventType.API_CALL))
                .toList(); // metering adds api_call events
        assertThat(all.stream()
                        .filter(e -> e.type().equals(EventType.THING_CREATED))
                        .map(EventEnvelope::subject)
                        .toList())
                .containsExactlyElementsOf(created);
        assertThat(all.get(all.size() - 1).type()).isEqualTo(EventType.BATCH_IMPORT);
        assertThat(all).hasSize(10_002); // group_created + 10,000 things + the batch
    }

    @Test
    void shouldReplayIdempotencyKeyWithoutWritingTwice() {
        UUID group = newGroup("pro");
        String body = "{\"items\":[{\"type\":\"user\",\"name\":\"once\"}]}";
        String key = "import-" + UUID.randomUUID();
        String first = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/groups/{g}/things:batch", group)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String second = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/groups/{g}/things:batch", group)
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .extract()
                .asString();
        assertThat(second).isEqualTo(first);
        assertThat(things(group)).isEqualTo(1);
        assertThat(activity(group, EventType.BATCH_IMPORT)).isEqualTo(1);

        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body("{\"items\":[{\"type\":\"user\",\"name\":\"other\"}]}")
                .post("/groups/{g}/things:batch", group)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        assertThat(things(group)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnotherTenantsGroupWith403AndWriteNothing() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        given().auth()
                .oauth2(TestTokens.forTenants(mine))
                .contentType("application/json")
                .body("{\"items\":[{\"type\":\"user\",\"name\":\"intruder\"}]}")
                .post("/groups/{g}/things:batch", theirs)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/forbidden"));
        assertThat(things(theirs)).isZero();
        given().auth()
                .oauth2(TestTokens.forTenants(mine))
                .get("/groups/{g}", theirs)
                .then()
                .statusCode(403);
    }

    @Test
    void shouldAnswerMalformedJsonWith400AndWriteNothing() {
        UUID group = newGroup("pro");
        postThings(group, "{\"items\": [{\"type\": \"user\", \"name\": \"x\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/malformed-request"));
        postThings(group, "{\"items\": [], \"extra\": 1}").statusCode(400).contentType("application/problem+json");
        postThings(group, "{\"items\": \"not a list\"}").statusCode(422).contentType("application/problem+json");
        assertThat(things(group)).isZero();
    }

    @Test
    void shouldAnswerWrongTypesAndUnknownTypesWith422WhenNothingIsValid() {
        UUID group = newGroup("pro");
        postThings(group, "{\"items\": [{\"type\": \"user\", \"name\": 5}]}")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].error", equalTo("must be a string"));
        postThings(group, "{\"items\": [{\"type\": \"starship\", \"name\": \"x\"}]}")
                .statusCode(422)
                .body("errors[0].field", equalTo("type"));
        postThings(group, "{\"items\": [{\"type\": \"user\", \"name\": \"x\", \"colour\": \"red\"}]}")
                .statusCode(422)
                .body("errors[0].field", equalTo("colour"))
                .body("errors[0].error", equalTo("unknown field"));
        postThings(group, "{\"items\": [{\"type\": \"user\", \"name\": \"x\", \"properties\": [1]}]}")
                .statusCode(422)
                .body("errors[0].field", equalTo("properties"));
        assertThat(things(group)).isZero();
        assertThat(activity(group, EventType.BATCH_IMPORT)).isZero();
    }

    @Test
    void shouldRefuseOversizeBatchesAndValuesNamingTheLimit() {
        UUID group = newGroup("pro");
        String tooMany = IntStream.range(0, 10_001)
                .mapToObj(i -> "{\"type\":\"user\",\"name\":\"n\"}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
        postThings(group, tooMany)
                .statusCode(413)
                .body("limit", equalTo("strata.ingest.max-batch-items"))
                .body("maximum", equalTo(10_000));
        String longName = "x".repeat(1_000_001);
        postThings(group, "{\"items\":[{\"type\":\"user\",\"name\":\"" + longName + "\"}]}")
                .statusCode(413)
                .contentType("application/problem+json")
                .body("limit", equalTo("strata.ingest.max-item-bytes"));
        String hugeProperties = "{\"blob\":\"" + "y".repeat(65_536) + "\"}";
        postThings(group, "{\"items\":[{\"type\":\"user\",\"name\":\"n\",\"properties\":" + hugeProperties + "}]}")
                .statusCode(422)
                .body("errors[0].field", equalTo("properties"));
        assertThat(things(group)).isZero();
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldAcceptNdjsonAndCsv() {
        UUID group = newGroup("pro");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(utf8("{\"type\":\"user\",\"name\":\"n1\"}\n\n{\"type\":\"video\",\"name\":\"n2\"}\n"))
                .post("/groups/{g}/things:batch?defaultStatus=active", group)
                .then()
                .statusCode(200)
                .body("summary.success", equalTo(2));
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("text/csv")
                .body(utf8("type,name,status,properties.price,properties.sku,properties.live\r\n"
                        + "product,\"Mug, large\",active,12.50,007,true\r\n"
                        + "product,\"Say \"\"hi\"\"\",,3,A1,\r\n"))
                .post("/groups/{g}/things:batch", group)
                .then()
                .statusCode(200)
                .body("summary.success", equalTo(2));
        assertThat(dev.strata.testing.TestDatabase.rows(
                        "SELECT name, status, properties::text FROM ingest.things"
                                + " WHERE group_id = ? AND type = 'product' ORDER BY id",
                        group))
                .containsExactly(
                        List.of("Mug, large", "active", "{\"sku\": \"007\", \"live\": true, \"price\": 12.50}"),
                        List.of("Say \"hi\"", "draft", "{\"sku\": \"A1\", \"price\": 3}"));
        assertThat(dev.strata.testing.TestDatabase.rows(
                        "SELECT status FROM ingest.things WHERE group_id = ? AND type <> 'product'", group))
                .containsOnly(List.of("active"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void shouldListThingsWithACursorVisitingEachOnce() {
        UUID group = newGroup("pro");
        String items = IntStream.range(0, 25)
                .mapToObj(i -> "{\"type\":\"user\",\"name\":\"u" + i + "\"}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
        List<String> created =
                postThings(group, items).statusCode(200).extract().path("created");
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var page = given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .queryParam("limit", 10)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/groups/{g}/things", group)
                    .then()
                    .statusCode(200)
                    .extract();
            seen.addAll(page.path("things.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(created);
        Map<String, Object> bad = Map.of("cursor", "!!");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParams(bad)
                .get("/groups/{g}/things", group)
                .then()
                .statusCode(400)
                .body("type", equalTo("https://strata.dev/problems/malformed-request"));
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/things/not-a-uuid", group)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
