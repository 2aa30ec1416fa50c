package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /** The group's outbox rows but the API-call meter's, which it writes whenever its window closes. */
    private static long outbox(UUID group) {
        return TestDatabase.scalar(
                "SELECT count(*) FROM ingest.outbox WHERE group_id = ? AND payload::jsonb ->> 'type' <> 'api_call'",
                group);
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
        var response = post(group, "events:batch", body)
                .statusCode(200)
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

        assertThat(TestDatabase.rows(
                        "SELECT type, actor_id::text, target_id::text, \"timestamp\" = ?::timestamptz,"
                                + " metadata::text FROM ingest.events WHERE id = ?",
                        "2023-03-01T10:15:30.123456Z",
                        revenueId))
                .containsExactly(
                        List.of("revenue_generated", user, video, true, "{\"amount\": 9.99, \"currency\": \"EUR\"}"));
        Instant viewedAt = ((java.sql.Timestamp)
                        TestDatabase.single("SELECT \"timestamp\" FROM ingest.events WHERE id = ?::uuid", viewId)
                                .get(0))
                .toInstant();
        assertThat(viewedAt).isBetween(before, after);

        List<EventEnvelope> revenue =
                stream.await(group, EventStreamProbe.ofType(EventType.REVENUE_GENERATED), 1, Duration.ofSeconds(30));
        EventEnvelope event = revenue.get(0);
        assertThat(event.id()).isEqualTo(revenueId.toString());
        assertThat(event.time()).isEqualTo(Instant.parse("2023-03-01T10:15:30.123456Z"));
        assertThat(event.subject()).isEqualTo(user);
        assertThat(event.data().get("targetId").asText()).isEqualTo(video);
        assertThat(event.data().get("metadata").get("amount").decimalValue()).isEqualByComparingTo("9.99");
        List<EventEnvelope> batch = stream.await(
                group,
                e -> e.type().equals(EventType.BATCH_IMPORT)
                        && e.data().get("kind").asText().equals("events"),
                1,
                Duration.ofSeconds(10));
        assertThat(batch.get(0).id()).isEqualTo(response.<String>path("position"));
        assertThat(batch.get(0).data().get("success").asInt()).isEqualTo(3);
        assertThat(stream.await(group, EventStreamProbe.ofType(EventType.USER_LOGIN), 1, Duration.ofSeconds(5)))
                .extracting(EventEnvelope::id)
                .containsExactly(response.<String>path("created[2]"));
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

        post(group, "events:batch", body)
                .statusCode(200)
                .body("created", contains(a.toString(), b.toString()))
                .body("duplicates", contains(0, 1))
                .body("failed", equalTo(0))
                .body("summary.success", equalTo(2))
                .body("batchId", nullValue())
                .body("position", nullValue());
        assertThat(rows("events", group)).isEqualTo(logged);
        assertThat(outbox(group)).isEqualTo(queued);
        assertThat(stream.all(group, Duration.ofSeconds(1)).stream()
                        .filter(e -> !e.type().equals(EventType.API_CALL)))
                .hasSize(6); // api_call: metering

        // A partial re-send writes only what is new, with its batch entry; a repeat inside one batch counts once.
        UUID c = UUID.randomUUID();
        post(group, "events:batch", items(List.of(login(a, user), login(c, user), login(c, user))))
                .statusCode(200)
                .body("created", contains(a.toString(), c.toString(), c.toString()))
                .body("duplicates", contains(0, 2))
                .body("summary.success", equalTo(3));
        assertThat(rows("events", group)).isEqualTo(logged + 2); // c and the batch entry
        assertThat(stream.await(group, EventStreamProbe.ofType(EventType.USER_LOGIN), 3, Duration.ofSeconds(30)))
                .extracting(EventEnvelope::id)
                .containsExactly(a.toString(), b.toString(), c.toString());
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
        post(group, "events:batch", body)
                .statusCode(200)
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
        // api_call events are Strata's metering, posted with a service token (a tenant's are refused).
        given().auth()
                .oauth2(TestTokens.service())
                .contentType("application/json")
                .body("""
                {"items": [
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"currency": "USD"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": -1, "currency": "usd"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": "12", "currency": "USD"}},
                  {"type": "content_event", "actorId": "%1$s", "metadata": {"what": "viewed"}},
                  {"type": "revenue_generated", "actorId": "%1$s", "metadata": {"amount": 0, "currency": "JPY"}},
                  {"type": "api_call", "actorId": "%1$s", "metadata": {"count": 2.5}},
                  {"type": "api_call", "actorId": "%1$s", "metadata": {"count": 3}}
                ]}""".formatted(user))
                .post("/groups/{g}/events:batch", group)
                .then()
                .statusCode(200)
                .body("created[4]", notNullValue())
                .body("created[6]", notNullValue())
                .body("errors.index", contains(0, 1, 1, 2, 3, 5))
                .body(
                        "errors.field",
                        contains(
                                "metadata.amount",
                                "metadata.amount",
                                "metadata.currency",
                                "metadata.amount",
                                "metadata.action",
                                "metadata.count"));
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
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.events WHERE id = ? AND group_id = ?", shared, theirs))
                .isEqualTo(1);
    }

    /** What archival-service records when an event leaves the hot log for S3 (the hot row is gone by then). */
    private static void archived(UUID id, UUID group, String type) {
        TestDatabase.update(
                "INSERT INTO ingest.archived_event_ids (id, group_id, type) VALUES (?, ?, ?)", id, group, type);
    }

    private static long stored(UUID id) {
        return TestDatabase.scalar("SELECT count(*) FROM ingest.events WHERE id = ?", id);
    }

    @Test
    void shouldAnswerAnArchivedIdAsItsGroupsDuplicateAndAsTakenForAnotherGroupOrType() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        String me = newThings(mine, "user").get(0);
        String stranger = newThings(theirs, "user").get(0);
        UUID old = UUID.randomUUID();
        archived(old, mine, EventType.USER_LOGIN);
        long mineBefore = rows("events", mine);
        long theirsBefore = rows("events", theirs);

        UUID theirNew = UUID.randomUUID();
        post(theirs, "events:batch", items(List.of(login(old, stranger), login(theirNew, stranger))))
                .statusCode(200)
                .body("created", contains(null, theirNew.toString()))
                .body("duplicates", empty())
                .body("failed", equalTo(1))
                .body("errors.index", contains(0))
                .body("errors.field", contains("id"))
                .body("errors.error", contains("id already used"));
        assertThat(rows("events", theirs)).isEqualTo(theirsBefore + 2); // theirNew and the batch_import entry

        UUID myNew = UUID.randomUUID();
        String otherType = "{\"id\":\"" + old + "\",\"type\":\"content_event\",\"actorId\":\"" + me
                + "\",\"metadata\":{\"action\":\"viewed\"}}";
        post(mine, "events:batch", items(List.of(otherType, login(myNew, me))))
                .statusCode(200)
                .body("created", contains(null, myNew.toString()))
                .body("duplicates", empty())
                .body("errors.index", contains(0))
                .body("errors.field", contains("id"))
                .body("errors.error", contains("id already used"));
        assertThat(rows("events", mine)).isEqualTo(mineBefore + 2);

        post(mine, "events:batch", items(List.of(login(old, me))))
                .statusCode(200)
                .body("created", contains(old.toString()))
                .body("duplicates", contains(0))
                .body("failed", equalTo(0))
                .body("summary.success", equalTo(1))
                .body("batchId", nullValue())
                .body("position", nullValue());
        assertThat(rows("events", mine)).isEqualTo(mineBefore + 2);
        assertThat(stored(old)).isZero();
        assertThat(TestDatabase.rows("SELECT group_id, type FROM ingest.archived_event_ids WHERE id = ?", old))
                .containsExactly(List.of(mine, EventType.USER_LOGIN));
    }

    @Test
    void shouldAnswerEachItemOfABatchMixingNewHotArchivedAndForeignIds() {
        UUID mine = newGroup("pro");
        UUID theirs = newGroup("pro");
        String me = newThings(mine, "user").get(0);
        String stranger = newThings(theirs, "user").get(0);
        UUID hot = UUID.randomUUID();
        UUID theirHot = UUID.randomUUID();
        post(mine, "events:batch", items(List.of(login(hot, me)))).statusCode(200);
        post(theirs, "events:batch", items(List.of(login(theirHot, stranger)))).statusCode(200);
        UUID myArchived = UUID.randomUUID();
        UUID theirArchived = UUID.randomUUID();
        archived(myArchived, mine, EventType.USER_LOGIN);
        archived(theirArchived, theirs, EventType.USER_LOGIN);
        UUID fresh = UUID.randomUUID();
        long before = rows("events", mine);

        var answer = post(
                        mine,
                        "events:batch",
                        items(List.of(
                                login(fresh, me), // 0 new
                                login(hot, me), // 1 mine, hot: duplicate
                                login(myArchived, me), // 2 mine, archived: duplicate
                                login(theirArchived, me), // 3 theirs, archived
                                "{\"type\":\"user_login\",\"actorId\":\"" + me + "\"}", // 4 new, id given by the server
                                login(theirArchived, me), // 5 the same again
                                login(theirHot, me)))) // 6 theirs, hot
                .statusCode(200)
                .body("created[0]", equalTo(fresh.toString()))
                .body("created[1]", equalTo(hot.toString()))
                .body("created[2]", equalTo(myArchived.toString()))
                .body("created[3]", nullValue())
                .body("created[4]", notNullValue())
                .body("created[5]", nullValue())
                .body("created[6]", nullValue())
                .body("duplicates", contains(1, 2))
                .body("failed", equalTo(3))
                .body("summary.success", equalTo(4))
                .body("errors.index", contains(3, 5, 6))
                .body("errors.field", contains("id", "id", "id"))
                .body("errors.error", contains("id already used", "id already used", "id already used"))
                .extract();
        UUID generated = UUID.fromString(answer.path("created[4]"));
        assertThat(rows("events", mine)).isEqualTo(before + 3); // fresh, generated and the batch_import entry
        assertThat(stored(fresh) + stored(generated)).isEqualTo(2);
        assertThat(stored(myArchived) + stored(theirArchived)).isZero();
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.events WHERE id = ? AND group_id = ?", theirHot, theirs))
                .isEqualTo(1);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.archived_event_ids WHERE id IN (?, ?)", myArchived, theirArchived))
                .isEqualTo(2);
    }

    /**
     * The race the second statement of {@code EventStore.insertNew} closes: the hot row is being archived (deleted
     * and recorded, not yet committed) when two groups send its id; both inserts wait for the archiving transaction,
     * and once it commits neither may insert the id again: the owner's re-send is a duplicate, the other group's
     * item is refused.
     */
    @Test
    void shouldRefuseAnIdArchivedWhileTheInsertWaitedForIt() throws Exception {
        UUID owner = newGroup("pro");
        UUID other = newGroup("pro");
        String ownerUser = newThings(owner, "user").get(0);
        String otherUser = newThings(other, "user").get(0);
        UUID id = UUID.randomUUID();
        post(owner, "events:batch", items(List.of(login(id, ownerUser)))).statusCode(200);
        long ownerRows = rows("events", owner);
        long otherRows = rows("events", other);
        UUID otherNew = UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (Connection archival = TestDatabase.connect()) {
            archival.setAutoCommit(false);
            int pid;
            try (PreparedStatement archive = archival.prepareStatement("""
                    WITH gone AS (DELETE FROM ingest.events WHERE id = ? RETURNING id, group_id, type)
                    INSERT INTO ingest.archived_event_ids (id, group_id, type) SELECT id, group_id, type FROM gone""");
                    PreparedStatement backend = archival.prepareStatement("SELECT pg_backend_pid()")) {
                archive.setObject(1, id);
                assertThat(archive.executeUpdate()).isEqualTo(1);
                try (var rs = backend.executeQuery()) {
                    rs.next();
                    pid = rs.getInt(1);
                }
            }
            Future<ExtractableResponse<Response>> resent =
                    clients.submit(() -> post(owner, "events:batch", items(List.of(login(id, ownerUser))))
                            .extract());
            Future<ExtractableResponse<Response>> reused = clients.submit(() -> post(
                            other, "events:batch", items(List.of(login(id, otherUser), login(otherNew, otherUser))))
                    .extract());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestDatabase.scalar(
                                    "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", pid)
                            == 2);
            archival.commit();

            ExtractableResponse<Response> owners = resent.get(30, TimeUnit.SECONDS);
            assertThat(owners.statusCode()).isEqualTo(200);
            assertThat(owners.<List<String>>path("created")).containsExactly(id.toString());
            assertThat(owners.<List<Integer>>path("duplicates")).containsExactly(0);
            assertThat(owners.<String>path("batchId")).isNull();
            ExtractableResponse<Response> others = reused.get(30, TimeUnit.SECONDS);
            assertThat(others.statusCode()).isEqualTo(200);
            assertThat(others.<List<String>>path("created")).containsExactly(null, otherNew.toString());
            assertThat(others.<List<Integer>>path("errors.index")).containsExactly(0);
            assertThat(others.<List<String>>path("errors.error")).containsExactly("id already used");
        } finally {
            clients.shutdownNow();
        }
        assertThat(stored(id)).isZero();
        assertThat(rows("events", owner)).isEqualTo(ownerRows - 1);
        assertThat(rows("events", other)).isEqualTo(otherRows + 2); // otherNew and the batch_import entry
        assertThat(TestDatabase.rows("SELECT group_id, type FROM ingest.archived_event_ids WHERE id = ?", id))
                .containsExactly(List.of(owner, EventType.USER_LOGIN));
    }

    @Test
    void shouldAcceptNdjsonAndRollBackAnAtomicBatchWithOneBadItem() {
        UUID group = newGroup("pro");
        String user = newThings(group, "user").get(0);
        String ndjson = login(UUID.randomUUID(), user) + "\n" + "{\"type\":\"user_login\",\"actorId\":\"" + user
                + "\",\"metadata\":[]}\n";
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/events:batch?atomic=true", group)
                .then()
                .statusCode(422)
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("metadata"));
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/events:batch", group)
                .then()
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
        order.sort(Comparator.<Integer, Instant>comparing(times::get)
                .reversed()
                // PostgreSQL orders uuids by their bytes, as their hex text sorts (UUID.compareTo is signed)
                .thenComparing(i -> ids.get(i).toString(), Comparator.reverseOrder()));
        order.forEach(i -> expected.add(ids.get(i).toString()));

        assertThat(pages(group, "user_login", 4)).containsExactlyElementsOf(expected);
        List<String> everything = pages(group, null, 2);
        assertThat(everything).doesNotHaveDuplicates().hasSize(11); // + the two batch entries
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParam("cursor", "bm90IGEgY3Vyc29y")
                .get("/groups/{g}/events", group)
                .then()
                .statusCode(400)
                .body("type", equalTo("https://strata.dev/problems/malformed-request"));
    }

    private static List<String> pages(UUID group, String type, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .queryParam("limit", limit)
                    .queryParam("cursor", cursor == null ? "" : cursor);
            if (type != null) {
                request.queryParam("type", type);
            }
            var page = request.get("/groups/{g}/events", group)
                    .then()
                    .statusCode(200)
                    .extract();
            seen.addAll(page.path("events.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        return seen;
    }
}
