package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.activity;
import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.rows;
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
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ConnectionBatchTest {

    private static final String NO_SUCH_THING = "no such thing in this group";

    private static EventStreamProbe stream;

    @BeforeAll
    static void openStream() {
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void closeStream() {
        stream.close();
    }

    private static String connection(String from, String to, String type) {
        return "{\"fromThingId\":\"" + from + "\",\"toThingId\":\"" + to + "\",\"relationshipType\":\"" + type + "\"}";
    }

    private static String items(List<String> items) {
        return items.stream().collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }

    @Test
    void shouldWriteValidConnectionsAndReportInvalidOnesByIndexAndField() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "creator", "video");
        String user = ids.get(0);
        String creator = ids.get(1);
        String video = ids.get(2);
        String body = """
                {"items": [
                  {"fromThingId": "%1$s", "toThingId": "%2$s", "relationshipType": "following",
                   "metadata": {"source": "import"}, "strength": 0.75,
                   "validFrom": "2024-01-01T00:00:00Z", "validTo": "2024-12-31T23:59:59+01:00"},
                  {"fromThingId": "%2$s", "toThingId": "%3$s", "relationshipType": "authored"},
                  {"fromThingId": "%1$s", "toThingId": "%2$s"},
                  {"fromThingId": "%4$s", "toThingId": "%2$s", "relationshipType": "following"},
                  {"fromThingId": "%1$s", "toThingId": "%3$s", "relationshipType": "purchased", "strength": 1.5},
                  {"fromThingId": "%1$s", "toThingId": "%3$s", "relationshipType": "purchased",
                   "validFrom": "2024-02-01T00:00:00Z", "validTo": "2024-01-01T00:00:00Z"},
                  {"fromThingId": "%1$s", "toThingId": "%3$s", "relationshipType": "likes"}
                ]}""".formatted(user, creator, video, UUID.randomUUID());
        var response = post(group, "connections:batch", body)
                .statusCode(200)
                .body("created", hasSize(7))
                .body("created[0]", notNullValue())
                .body("created[1]", notNullValue())
                .body("created[2]", nullValue())
                .body("failed", equalTo(5))
                .body("errors.index", contains(2, 3, 4, 5, 6))
                .body(
                        "errors.field",
                        contains("relationshipType", "fromThingId", "strength", "validTo", "relationshipType"))
                .body("errors[1].error", equalTo(NO_SUCH_THING))
                .body("errors[4].error", equalTo("unknown connection type 'likes'"))
                .body("summary.total", equalTo(7))
                .body("summary.success", equalTo(2))
                .body("summary.successRate", equalTo(28.57f))
                .body("batchId", notNullValue())
                .extract();
        String following = response.path("created[0]");
        String authored = response.path("created[1]");
        assertThat(rows("connections", group)).isEqualTo(2);
        assertThat(TestDatabase.rows(
                        "SELECT from_thing_id::text, to_thing_id::text, relationship_type, metadata::text,"
                                + " strength, valid_from = '2024-01-01T00:00:00Z', valid_to = '2024-12-31T22:59:59Z'"
                                + " FROM ingest.connections WHERE id = ?::uuid",
                        following))
                .containsExactly(List.of(user, creator, "following", "{\"source\": \"import\"}", 0.75, true, true));

        List<EventEnvelope> created =
                stream.await(group, EventStreamProbe.ofType(EventType.CONNECTION_CREATED), 2, Duration.ofSeconds(30));
        assertThat(created).extracting(EventEnvelope::subject).containsExactly(following, authored);
        assertThat(created.get(1).data().get("fromType").asText()).isEqualTo("creator");
        assertThat(created.get(1).data().get("toType").asText()).isEqualTo("video");
        assertThat(created.get(0).data().get("strength").asDouble()).isEqualTo(0.75);
        List<EventEnvelope> batches = stream.await(
                group,
                EventStreamProbe.ofType(EventType.BATCH_IMPORT),
                2,
                Duration.ofSeconds(10)); // the things batch above, then this one
        assertThat(batches.get(1).data().get("kind").asText()).isEqualTo("connections");
        assertThat(batches.get(1).data().get("success").asInt()).isEqualTo(2);
        assertThat(batches.get(1).data().get("failed").asInt()).isEqualTo(5);
    }

    @Test
    void shouldReportAnEndInAnotherGroupExactlyLikeAMissingOne() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        String me = newThings(mine, "user").get(0);
        String stranger = newThings(theirs, "user").get(0);
        String missing = UUID.randomUUID().toString();
        var problem = post(
                        mine,
                        "connections:batch",
                        items(List.of(
                                connection(me, stranger, "following"),
                                connection(me, missing, "following"),
                                connection(stranger, me, "following"))))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.index", contains(0, 1, 2))
                .body("errors.field", contains("toThingId", "toThingId", "fromThingId"))
                .extract();
        assertThat(problem.<List<String>>path("errors.error")).containsOnly(NO_SUCH_THING);
        assertThat(rows("connections", mine)).isZero();
        assertThat(rows("connections", theirs)).isZero();
    }

    @Test
    void shouldRefuseARelationshipTheOntologyDoesNotAllowBetweenTheTypes() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "video");
        post(
                        group,
                        "connections:batch",
                        items(List.of(
                                connection(ids.get(0), ids.get(1), "following"),
                                connection(ids.get(0), ids.get(1), "purchased"))))
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("errors[0].index", equalTo(0))
                .body("errors[0].field", equalTo("relationshipType"))
                .body("errors[0].error", equalTo("'following' may not connect a user to a video"));
        assertThat(rows("connections", group)).isEqualTo(1);
    }

    @Test
    void shouldReportDuplicatesWithinTheBatchAndOfStoredConnections() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "user", "user");
        post(group, "connections:batch", items(List.of(connection(ids.get(0), ids.get(1), "following"))))
                .statusCode(200);
        post(
                        group,
                        "connections:batch",
                        items(List.of(
                                connection(ids.get(0), ids.get(1), "following"),
                                connection(ids.get(0), ids.get(2), "following"),
                                connection(ids.get(0), ids.get(2), "following"),
                                connection(ids.get(0), ids.get(2), "referred"))))
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("created[2]", nullValue())
                .body("created[3]", notNullValue())
                .body("errors.index", contains(0, 2))
                .body(
                        "errors.error",
                        contains("already exists", "the same connection appears earlier in this batch (index 1)"));
        assertThat(rows("connections", group)).isEqualTo(3);
    }

    @Test
    void shouldCreateEachConnectionOnceWhenTwoBatchesWithTheSameItemsRace() throws Exception {
        UUID group = newGroup("enterprise");
        String[] types = new String[201];
        java.util.Arrays.fill(types, "user");
        List<String> users = newThings(group, types);
        String body = items(IntStream.rangeClosed(1, 200)
                .mapToObj(i -> connection(users.get(0), users.get(i), "following"))
                .toList());
        String token = TestTokens.forTenants(group);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return given().auth()
                                    .oauth2(token)
                                    .contentType("application/json")
                                    .body(body)
                                    .post("/groups/{g}/connections:batch", group)
                                    .then()
                                    .extract();
                        },
                        threads));
            }
            Map<Integer, Integer> createdPerItem = new HashMap<>();
            Set<String> createdIds = new HashSet<>();
            for (CompletableFuture<ExtractableResponse<Response>> call : calls) {
                ExtractableResponse<Response> response = call.get();
                if (response.statusCode() == 200) {
                    List<String> created = response.path("created");
                    for (int i = 0; i < created.size(); i++) {
                        if (created.get(i) != null) {
                            createdPerItem.merge(i, 1, Integer::sum);
                            createdIds.add(created.get(i));
                        }
                    }
                    assertThat(response.<List<String>>path("errors.error"))
                            .allSatisfy(error -> assertThat(error).isEqualTo("already exists"));
                } else {
                    // Every item lost the race: the batch had nothing to write and is answered as a whole.
                    assertThat(response.statusCode()).isEqualTo(422);
                    assertThat(response.<List<String>>path("errors.error"))
                            .hasSize(200)
                            .containsOnly("already exists");
                }
            }
            assertThat(createdPerItem).hasSize(200);
            assertThat(createdPerItem.values()).containsOnly(1);
            assertThat(rows("connections", group)).isEqualTo(200);
            List<EventEnvelope> events = stream.await(
                    group, EventStreamProbe.ofType(EventType.CONNECTION_CREATED), 200, Duration.ofSeconds(30));
            assertThat(stream.all(group, Duration.ofMillis(300)).stream()
                            .filter(EventStreamProbe.ofType(EventType.CONNECTION_CREATED)))
                    .hasSize(200);
            assertThat(events).extracting(EventEnvelope::subject).containsExactlyInAnyOrderElementsOf(createdIds);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldWriteNothingWhenAtomicAndOneItemIsInvalidOrAlreadyStored() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "user", "user");
        post(group, "connections:batch", """
                {"items": [%s, %s], "options": {"atomic": true}}""".formatted(
                                connection(ids.get(0), ids.get(1), "following"),
                                connection(ids.get(0), ids.get(2), "followed")))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("relationshipType"));
        assertThat(rows("connections", group)).isZero();

        post(group, "connections:batch", items(List.of(connection(ids.get(1), ids.get(2), "following"))))
                .statusCode(200);
        long batchesBefore = activity(group, EventType.BATCH_IMPORT);
        // Valid in itself; the stored duplicate only shows at insert, and still rolls the whole batch back.
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body((connection(ids.get(0), ids.get(1), "following") + "\n"
                                + connection(ids.get(1), ids.get(2), "following") + "\n")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/connections:batch?atomic=true", group)
                .then()
                .statusCode(422)
                .body("errors.index", contains(1))
                .body("errors[0].error", equalTo("already exists"));
        assertThat(rows("connections", group)).isEqualTo(1);
        assertThat(activity(group, EventType.BATCH_IMPORT)).isEqualTo(batchesBefore);
    }

    @Test
    void shouldRefuseOptionsThatConnectionsDoNotHave() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "user");
        post(group, "connections:batch", """
                {"items": [%s], "options": {"defaultStatus": "active"}}""".formatted(connection(ids.get(0), ids.get(1), "following")))
                .statusCode(422)
                .body("errors[0].field", equalTo("options.defaultStatus"));
        assertThat(rows("connections", group)).isZero();
    }

    @Test
    void shouldListConnectionsWithACursorVisitingEachOnce() {
        UUID group = newGroup("pro");
        String[] types = new String[8];
        java.util.Arrays.fill(types, "user");
        List<String> users = newThings(group, types);
        // hub -> 1..5 (following), 6 -> hub (following), 1 -> 2 (referred)
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            items.add(connection(users.get(0), users.get(i), "following"));
        }
        items.add(connection(users.get(6), users.get(0), "following"));
        items.add(connection(users.get(1), users.get(2), "referred"));
        List<String> created = post(group, "connections:batch", items(items))
                .statusCode(200)
                .extract()
                .path("created");

        assertThat(pages(group, Map.of("limit", 3))).containsExactlyElementsOf(created);
        assertThat(pages(group, Map.of("limit", 2, "thingId", users.get(0), "direction", "outbound")))
                .containsExactlyElementsOf(created.subList(0, 5));
        assertThat(pages(group, Map.of("limit", 2, "thingId", users.get(0), "direction", "inbound")))
                .containsExactly(created.get(5));
        assertThat(pages(group, Map.of("limit", 4, "thingId", users.get(1))))
                .containsExactly(created.get(0), created.get(6));
        assertThat(pages(group, Map.of("limit", 4, "type", "referred"))).containsExactly(created.get(6));
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParam("direction", "inbound")
                .get("/groups/{g}/connections", group)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("direction"));
    }

    private static List<String> pages(UUID group, Map<String, Object> query) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .queryParams(query)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/groups/{g}/connections", group)
                    .then()
                    .statusCode(200)
                    .extract();
            seen.addAll(page.path("connections.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        return seen;
    }
}
