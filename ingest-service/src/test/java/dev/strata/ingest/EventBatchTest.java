package dev.strata.ingest;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class EventBatchTest {

    private static EventStreamProbe stream;

    @BeforeAll
    static void openStream() {
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void closeStream() {
        stream.close();
    }

    private static String login(UUID id, String actor) {
        return "{\"id\":\"" + id + "\",\"type\":\"user_login\",\"actorId\":\"" + actor + "\"}";
    }

    private static String items(List<String> items) {
        return items.stream().collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }

    private static long outbox(UUID group) {
        return TestDatabase.scalar("SELECT count(*) FROM ingest.outbox WHERE group_id = ?", group);
    }

    @Test
    void shouldLogEventsAndPublishEachAsItselfAtTheTimeItHappened() {
        UUID group = newGroup("pro");
        List<String> ids = newThings(group, "user", "video");
        String user = ids.get(0);
        String video = ids.get(1);
        UUID revenueId = UUID.randomUUID();
        String body = """
                {"items": [
                  {"id": "%1$s", "type": "revenue_generated", "actorId": "%2$s", "targetId": "%3$s",
                   "timestamp": "2023-03-01T10:15:30.123456Z", "metadata": {"amount": 9.99, "currency": "EUR"}},
                  {"type": "content_event", "actorId": "%2$s", "targetId": "%3$s", "metadata": {"action": "viewed"}},
                  {"type": "user_login", "actorId": "%2$s"}
                ]}""".formatted(revenueId, user, video);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var response = post(group, "events:batch", body).statusCode(200)
                .body("created[0]", equalTo(revenueId.toString()))
                .body("created[1]", notNullValue())
                .body("created[2]", notNullValue())
                .body("duplicates", empty())
                .body("failed", equalTo(0))
                .body("summary.success", equalTo(3))
                .body("position", notNullValue())
                .extract();
        Instant after = Instant.now();
        String viewId = response.path("created[1]");

        assertThat(TestDatabase.rows("SELECT type, actor_id::text, target_id::text, \"timestamp\" = ?::timestamptz,"
                        + " metadata::text FROM ingest.events WHERE id = ?",
                "2023-03-01T10:15:30.123456Z", revenueId))
                .containsExactly(List.of("revenue_generated", user, video, true,
                        "{\"amount\": 9.99, \"currency\": \"EUR\"}"));
        Instant viewedAt = ((java.sql.Timestamp) TestDatabase.single(
                "SELECT \"timestamp\" FROM ingest.events WHERE id = ?::uuid", viewId).get(0)).toInstant();
        assertThat(viewedAt).isBetween(before, after);

        List<EventEnvelope> revenue = stream.await(group, EventStreamProbe.ofType(EventType.REVENUE_GENERATED), 1,
                Duration.ofSeconds(30));
        EventEnvelope event = revenue.get(0);
        assertThat(event.id()).isEqualTo(revenueId.toString());
        assertThat(event.time()).isEqualTo(Instant.parse("2023-03-01T10:15:30.123456Z"));
        assertThat(event.subject()).isEqualTo(user);
        assertThat(event.data().get("targetId").asText()).isEqualTo(video);
        assertThat(event.data().get("metadata").get("amount").decimalValue()).isEqualByComparingTo("9.99");
        List<EventEnvelope> batch = stream.await(group, e -> e.type().equals(EventType.BATCH_IMPORT)
                && e.data().get("kind").asText().equals("events"), 1, Duration.ofSeconds(10));
        assertThat(batch.get(0).id()).isEqualTo(response.<String>path("position"));
        assertThat(batch.get(0).data().get("success").asInt()).isEqualTo(3);
        assertThat(stream.await(group, EventStreamProbe.ofType(EventType.USER_LOGIN), 1, Duration.ofSeconds(5)))
                .extracting(EventEnvelope::id).containsExactly(response.<String>path("created[2]"));
    }

    @Test
    void shouldWriteNothingNewWhenTheSameClientIdsAreSentAgain() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        String body = items(List.of(login(a, user), login(b, user)));
        post(group, "events:batch", body).statusCode(200).body("duplicates", empty());
        // group_created, thing_created, 2 batch_import, 2 user_login
        stream.await(group, e -> !e.type().equals(EventType.API_CALL), 6, Duration.ofSeconds(30));
        long logged = rows("events", group);
        long queued = outbox(group);

        post(group, "events:batch", body).statusCode(200)
                .body("created", contains(a.toString(), b.toString()))
                .body("duplicates", contains(0, 1))
                .body("failed", equalTo(0))
                .body("summary.success", equalTo(2))
                .body("batchId", nullValue())
                .body("position", nullValue());
        assertThat(rows("events", group)).isEqualTo(logged);
        assertThat(outbox(group)).isEqualTo(queued);
        assertThat(stream.all(group, Duration.ofSeconds(1)).stream()
                .filter(e -> !e.type().equals(EventType.API_CALL))).hasSize(6); // api_call: metering

        // A partial re-send writes only what is new, with its batch entry; a repeat inside one batch counts once.
        UUID c = UUID.randomUUID();
        post(group, "events:batch", items(List.of(login(a, user), login(c, user), login(c, user)))).statusCode(200)
                .body("created", contains(a.toString(), c.toString(), c.toString()))
                .body("duplicates", contains(0, 2))
                .body("summary.success", equalTo(3));
        assertThat(rows("events", group)).isEqualTo(logged + 2); // c and the batch entry
        assertThat(stream.await(group, EventStreamProbe.ofType(EventType.USER_LOGIN), 3, Duration.ofSeconds(30)))
                .extracting(EventEnvelope::id).containsExactly(a.toString(), b.toString(), c.toString());
    }

    @Test
    void shouldRefuseATimestampMoreThanFiveMinutesInTheFuture() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        Instant now = Instant.now();
        String body = """
                {"items": [
                  {"type": "user_login", "actorId": "%1$s", "timestamp": "%2$s"},
                  {"type": "user_login", "actorId": "%1$s", "timestamp": "%3$s"},
                  {"type": "user_login", "actorId": "%1$s", "timestamp": "2001-09-09T01:46:40Z"},
                  {"type": "user_login", "actorId": "%1$s", "timestamp": "yesterday"}
                ]}""".formatted(user, now.plus(Duration.ofMinutes(10)), now.plus(Duration.ofMinutes(2)));
        post(group, "events:batch", body).statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("created[2]", notNullValue())
                .body("errors.index", contains(0, 3))
                .body("errors.field", contains("timestamp", "timestamp"))
                .body("errors[0].error", equalTo("more than 300 seconds in the future"));
        assertThat(IngestClient.activity(group, EventType.USER_LOGIN)).isEqualTo(2);
    }

    @Test
    void shouldRefuseUnknownTypesAndTypesStrataWritesItself() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        post(group, "events:batch", """
                {"items": [
                  {"type": "teleported", "actorId": "%1$s"},
                  {"type": "thing_created", "actorId": "%1$s"},
                  {"type": "quota_threshold_crossed", "actorId": "%1$s"}
                ]}""".formatted(user))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.index", contains(0, 1, 2))
                .body("errors.field", contains("type", "type", "type"))
                .body("errors[0].error", equalTo("unknown event type 'teleported'"))
                .body("errors[1].error", equalTo("'thing_created' is written by Strata itself, not by clients"));
        assertThat(rows("events", group)).isEqualTo(1); // the things batch entry only
    }

    @Test
    void shouldRefuseRevenueWithoutAmountContentEventWithoutActionAndFractionalApiCallCount() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        post(group, "events:batch", """
                {"items": [
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"currency": "USD"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": -1, "currency": "usd"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": "12", "currency": "USD"}},
                  {"type": "content_event", "actorId": "%1$s", "metadata": {"what": "viewed"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": 0, "currency": "JPY"}},
                  {"type": "api_call", "actorId": "%1$s", "metadata": {"count": 2.5}},
                  {"type": "api_call", "actorId": "%1$s", "metadata": {"count": 3}}
                ]}""".formatted(user))
                .statusCode(200)
                .body("created[4]", notNullValue())
                .body("created[6]", notNullValue())
                .body("errors.index", contains(0, 1, 1, 2, 3, 5))
                .body("errors.field", contains("metadata.amount", "metadata.amount", "metadata.currency",
                        "metadata.amount", "metadata.action", "metadata.count"));
        assertThat(IngestClient.activity(group, EventType.REVENUE_GENERATED)).isEqualTo(1);
        assertThat(IngestClient.activity(group, EventType.API_CALL)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnActorOrTargetOfAnotherGroup() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        String me = newThings(mine, "user").get(0);
        String stranger = newThings(theirs, "user").get(0);
        post(mine, "events:batch", """
                {"items": [
                  {"type": "user_login", "actorId": "%2$s"},
                  {"type": "content_event", "actorId": "%1$s", "targetId": "%2$s", "metadata": {"action": "liked"}}
                ]}""".formatted(me, stranger))
                .statusCode(422)
                .body("errors.index", contains(0, 1))
                .body("errors.field", contains("actorId", "targetId"))
                .body("errors.error", contains("no such thing in this group", "no such thing in this group"));
        assertThat(rows("events", mine)).isEqualTo(1);
        assertThat(rows("events", theirs)).isEqualTo(1);
    }

    @Test
    void shouldNotTreatAnIdAnotherGroupUsedAsADuplicate() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        String me = newThings(mine, "user").get(0);
        String stranger = newThings(theirs, "user").get(0);
        UUID shared = UUID.randomUUID();
        post(theirs, "events:batch", items(List.of(login(shared, stranger)))).statusCode(200);
        post(mine, "events:batch", items(List.of(login(shared, me), login(UUID.randomUUID(), me))))
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("duplicates", empty())
                .body("errors.index", contains(0))
                .body("errors.field", contains("id"))
                .body("errors.error", contains("id already used"));
        assertThat(IngestClient.activity(mine, EventType.USER_LOGIN)).isEqualTo(1);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.events WHERE id = ? AND group_id = ?",
                shared, theirs)).isEqualTo(1);
    }

    @Test
    void shouldAcceptNdjsonAndRollBackAnAtomicBatchWithOneBadItem() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        String ndjson = login(UUID.randomUUID(), user) + "\n" + "{\"type\":\"user_login\",\"actorId\":\"" + user
                + "\",\"metadata\":[]}\n";
        given().auth().oauth2(TestTokens.forTenants(group)).contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/events:batch?atomic=true", group).then()
                .statusCode(422)
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("metadata"));
        given().auth().oauth2(TestTokens.forTenants(group)).contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/events:batch", group).then()
                .statusCode(200)
                .body("summary.success", equalTo(1));
        assertThat(IngestClient.activity(group, EventType.USER_LOGIN)).isEqualTo(1);
    }

    @Test
    void shouldListEventsNewestFirstVisitingEachOnce() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        Instant base = Instant.parse("2024-06-01T12:00:00Z");
        List<UUID> ids = new ArrayList<>();
        List<String> items = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            UUID id = UUID.randomUUID();
            Instant at = base.minus(Duration.ofHours(i / 2)); // pairs share a timestamp: the id breaks the tie
            ids.add(id);
            times.add(at);
            items.add("{\"id\":\"" + id + "\",\"type\":\"user_login\",\"actorId\":\"" + user + "\",\"timestamp\":\""
                    + at + "\"}");
        }
        post(group, "events:batch", items(items)).statusCode(200);
        List<String> expected = new ArrayList<>();
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
        order.sort(Comparator.<Integer, Instant>comparing(times::get).reversed()
                // PostgreSQL orders uuids by their bytes, as their hex text sorts (UUID.compareTo is signed)
                .thenComparing(i -> ids.get(i).toString(), Comparator.reverseOrder()));
        order.forEach(i -> expected.add(ids.get(i).toString()));

        assertThat(pages(group, "user_login", 4)).containsExactlyElementsOf(expected);
        List<String> everything = pages(group, null, 2);
        assertThat(everything).doesNotHaveDuplicates().hasSize(11); // + the two batch entries
        given().auth().oauth2(TestTokens.forTenants(group)).queryParam("cursor", "bm90IGEgY3Vyc29y")
                .get("/groups/{g}/events", group).then().statusCode(422);
    }

    private static List<String> pages(UUID group, String type, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(TestTokens.forTenants(group)).queryParam("limit", limit)
                    .queryParam("cursor", cursor == null ? "" : cursor);
            if (type != null) {
                request.queryParam("type", type);
            }
            var page = request.get("/groups/{g}/events", group).then().statusCode(200).extract();
            seen.addAll(page.path("events.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        return seen;
    }
}
