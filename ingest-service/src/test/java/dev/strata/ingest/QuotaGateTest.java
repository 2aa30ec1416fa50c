package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.activity;
import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.postThings;
import static dev.strata.ingest.IngestClient.rows;
import static dev.strata.ingest.IngestClient.things;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.ingest.client.QuotaDemand;
import dev.strata.ingest.service.BatchExecutor;
import dev.strata.model.events.EventType;
import dev.strata.support.problem.ProblemException;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ingest reserves quota before it writes, and a refused reservation writes nothing. */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
@TestProfile(QuotaGateTest.GateOn.class)
class QuotaGateTest {

    /** The gate on, pointed at the stand-in served by this very application. */
    public static class GateOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return QuotaStandIn.servedHere(
                    Map.of("strata.ingest.quota.enabled", "true", "strata.ingest.quota.unknown-group-wait", "200ms"));
        }
    }

    @Inject
    BatchExecutor executor;

    @AfterEach
    void reset() {
        QuotaStandIn.down = false;
        QuotaStandIn.confirmationsDown = false;
        QuotaStandIn.holdGrants = null;
    }

    @Test
    void shouldRefuseTheWholeBatchOverTheLimitAndWriteNothing() {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "entities_total", 5);
        postThings(group, videos(6))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/quota-exceeded"))
                .body("metric", equalTo("entities_total"))
                .body("limit", equalTo(5))
                .body("requested", equalTo(6))
                .body("current", equalTo(0))
                .body("upgrade", equalTo("pro"));
        assertThat(things(group)).isZero();
        assertThat(activity(group, EventType.BATCH_IMPORT)).isZero();
    }

    @Test
    void shouldReserveEveryMetricWithTheBatchIdAsReference() {
        UUID group = newGroup("starter");
        String body = "{\"items\":[{\"type\":\"user\",\"name\":\"a\",\"properties\":{\"k\":\"v\"}},"
                + "{\"type\":\"video\",\"name\":\"b\"}]}";
        String batchId = postThings(group, body).statusCode(200).extract().path("batchId");
        List<QuotaStandIn.Call> calls = QuotaStandIn.RESERVED.stream()
                .filter(c -> c.group().equals(group))
                .toList();
        // 2 things, 1 of them a person, properties {"k":"v"} (9 bytes) + {} (2 bytes)
        assertThat(calls)
                .extracting(QuotaStandIn.Call::metric, QuotaStandIn.Call::amount, QuotaStandIn.Call::reference)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("entities_total", 2L, batchId),
                        org.assertj.core.groups.Tuple.tuple("users", 1L, batchId),
                        org.assertj.core.groups.Tuple.tuple("storage_gb", 11L, batchId));
        assertThat(things(group)).isEqualTo(2);
    }

    @Test
    void shouldReleaseWhatWasGrantedWhenALaterMetricIsRefused() {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "users", 1);
        int releasedBefore = QuotaStandIn.RELEASED.size();
        // entities_total (2) and storage_gb (2 x "{}" = 4 bytes) are granted, users is refused, so both grants
        // must be given back
        postThings(group, "{\"items\":[{\"type\":\"user\",\"name\":\"a\"},{\"type\":\"user\",\"name\":\"b\"}]}")
                .statusCode(409)
                .body("metric", equalTo("users"));
        assertThat(QuotaStandIn.RELEASED.size() - releasedBefore).isEqualTo(2);
        assertThat(things(group)).isZero();
    }

    @Test
    void shouldGiveTheGrantBackWhenTheWritesAreRefusedAfterTheReservation() {
        UUID group = newGroup("starter");
        List<String> people = newThings(group, "user", "user");
        String connection = "{\"fromThingId\":\"" + people.get(0) + "\",\"toThingId\":\"" + people.get(1)
                + "\",\"relationshipType\":\"following\"}";
        post(group, "connections:batch", "{\"items\":[" + connection + "]}").statusCode(200);
        int releasedBefore = QuotaStandIn.RELEASED.size();
        // the stored duplicate shows only at the insert, which runs while connections_total is being reserved:
        // atomic mode refuses the batch, the writes roll back and the grant goes back
        post(group, "connections:batch", "{\"items\":[" + connection + "],\"options\":{\"atomic\":true}}")
                .statusCode(422);
        assertThat(QuotaStandIn.RELEASED.size() - releasedBefore).isEqualTo(1);
        assertThat(rows("connections", group)).isEqualTo(1);
    }

    @Test
    void shouldFailClosedWhenQuotaServiceCannotAnswer() {
        UUID group = newGroup("starter");
        QuotaStandIn.down = true;
        postThings(group, videos(1))
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"));
        assertThat(things(group)).isZero();
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldAnswer404ForAnUnknownGroupWithoutAskingQuota() {
        UUID unknown = UUID.randomUUID();
        int before = QuotaStandIn.RESERVED.size();
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body(videos(1))
                .post("/groups/{g}/things:batch", unknown)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertThat(QuotaStandIn.RESERVED.size()).isEqualTo(before);
    }

    @Test
    void shouldNotReserveForAReplayedIdempotencyKey() {
        UUID group = newGroup("starter");
        String key = "k-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .header("Idempotency-Key", key)
                    .contentType("application/json")
                    .body(videos(1))
                    .post("/groups/{g}/things:batch", group)
                    .then()
                    .statusCode(200);
        }
        assertThat(QuotaStandIn.RESERVED.stream()
                        .filter(c -> c.group().equals(group) && c.metric().equals("entities_total")))
                .hasSize(1);
    }

    @Test
    void shouldRecordTheWriteAndConfirmItsReservationsOnceItCommitted() {
        UUID group = newGroup("starter");
        String batchId = postThings(group, videos(2)).statusCode(200).extract().path("batchId");

        assertThat(outcomes(group)).containsExactly(List.of(UUID.fromString(batchId), "committed"));
        // after the answer, in the background: one confirmation for the write, whatever the number of metrics
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(QuotaStandIn.confirmed(group)).containsExactly(batchId));
    }

    @Test
    void shouldAnswerTheClientAndKeepTheTruthWhenTheConfirmationFails() {
        // ingest commits, then cannot confirm (quota-service down, or ingest dies right after the commit)
        UUID group = newGroup("starter");
        QuotaStandIn.confirmationsDown = true;
        String batchId = postThings(group, videos(1)).statusCode(200).extract().path("batchId");
        assertThat(things(group)).isEqualTo(1);

        // quota-service, finding the reservation unconfirmed past its TTL, asks: the write committed
        resolve(group, batchId)
                .statusCode(200)
                .body("batchId", equalTo(batchId))
                .body("outcome", equalTo("committed"));
        resolve(group, batchId).statusCode(200).body("outcome", equalTo("committed"));
        assertThat(QuotaStandIn.confirmed(group)).isEmpty();
    }

    @Test
    void shouldAnswerAbandonedForAWriteThatNeverCommittedAndFenceItForGood() {
        UUID group = newGroup("starter");
        UUID batchId = UUID.randomUUID(); // a reservation whose write never came (ingest died after reserving)
        resolve(group, batchId.toString()).statusCode(200).body("outcome", equalTo("abandoned"));
        assertThat(outcomes(group)).containsExactly(List.of(batchId, "abandoned"));

        // the write turns up after all: it cannot commit, and asks for no quota
        int reservedBefore = QuotaStandIn.reserved(group).size();
        assertThatThrownBy(() -> executor.execute(
                                group,
                                null,
                                null,
                                batchId,
                                QuotaDemand.none().add(QuotaDemand.ENTITIES, 1),
                                tx -> insertThing(tx, group))
                        .await()
                        .atMost(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(503));
        assertThat(things(group)).isZero();
        assertThat(QuotaStandIn.reserved(group)).hasSize(reservedBefore);
        resolve(group, batchId.toString()).statusCode(200).body("outcome", equalTo("abandoned"));
        assertThat(outcomes(group)).containsExactly(List.of(batchId, "abandoned"));

        // another group's committed batch id is not this group's write
        UUID other = newGroup("starter");
        String committed =
                postThings(other, videos(1)).statusCode(200).extract().path("batchId");
        resolve(group, committed).statusCode(200).body("outcome", equalTo("abandoned"));
        resolve(other, committed).statusCode(200).body("outcome", equalTo("committed"));
    }

    @Test
    void shouldRecordNothingForAWriteThatRolledBack() {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "users", 0);
        postThings(group, "{\"items\":[{\"type\":\"user\",\"name\":\"a\"}]}").statusCode(409);
        assertThat(outcomes(group)).isEmpty();
        assertThat(QuotaStandIn.confirmed(group)).isEmpty();
    }

    @Test
    void shouldWaitForAWriteInFlightAndAnswerCommitted() throws Exception {
        UUID group = newGroup("starter");
        QuotaStandIn.holdGrants = new CountDownLatch(1);
        CompletableFuture<io.restassured.response.Response> batch = CompletableFuture.supplyAsync(() -> given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/json")
                .body(videos(1))
                .post("/groups/{g}/things:batch", group));
        // the write's transaction is open, its batch id recorded in it, waiting for the grant
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> !QuotaStandIn.reserved(group).isEmpty());
        String batchId = QuotaStandIn.reserved(group).get(0).reference();
        CompletableFuture<io.restassured.response.Response> asked = CompletableFuture.supplyAsync(() ->
                given().auth().oauth2(TestTokens.service()).post("/groups/{g}/batches/{b}:resolve", group, batchId));
        // the question has reached the database and waits there for the write's transaction to end
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> TestDatabase.scalar("SELECT count(*)"
                                + " FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                                + " AND query LIKE '%INSERT INTO batch_outcomes%abandoned%'")
                        == 1);
        assertThat(asked).isNotDone();

        QuotaStandIn.holdGrants.countDown();
        assertThat(batch.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        io.restassured.response.Response answer = asked.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("outcome")).isEqualTo("committed");
        assertThat(things(group)).isEqualTo(1);
    }

    @Test
    void shouldRecordAndConfirmEachImportChunk() {
        UUID group = newGroup("starter");
        String job = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body("{\"type\":\"course\",\"name\":\"c\"}\n{\"type\":\"lesson\",\"name\":\"l\"}\n"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.forTenants(group))
                        .get("/imports/{id}", job)
                        .then()
                        .body("status", equalTo("succeeded"))
                        .body("created", equalTo(2)));

        List<String> references = QuotaStandIn.reserved(group).stream()
                .map(QuotaStandIn.Call::reference)
                .distinct()
                .toList();
        assertThat(references).hasSize(1); // one chunk
        assertThat(outcomes(group)).containsExactly(List.of(UUID.fromString(references.get(0)), "committed"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(QuotaStandIn.confirmed(group)).containsExactlyElementsOf(references));
    }

    @Test
    void shouldLetOnlyServicesAskAboutAWrite() {
        UUID group = newGroup("starter");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .post("/groups/{g}/batches/{b}:resolve", group, UUID.randomUUID())
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.service())
                .post("/groups/{g}/batches/{b}:resolve", group, "not-a-uuid")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(outcomes(group)).isEmpty();
    }

    private static ValidatableResponse resolve(UUID group, String batchId) {
        return given().auth()
                .oauth2(TestTokens.service())
                .post("/groups/{g}/batches/{b}:resolve", group, batchId)
                .then();
    }

    private static List<List<Object>> outcomes(UUID group) {
        return TestDatabase.rows(
                "SELECT batch_id, outcome FROM ingest.batch_outcomes WHERE group_id = ?" + " ORDER BY recorded_at",
                group);
    }

    private static Uni<Map<String, Object>> insertThing(SqlConnection tx, UUID group) {
        return tx.preparedQuery("INSERT INTO things (id, group_id, type, name, properties_bytes, status, created_at,"
                        + " updated_at) VALUES ($1, $2, 'video', 'late', 2, 'active', now(), now())")
                .execute(Tuple.of(UUID.randomUUID(), group))
                .replaceWith(Map.of());
    }

    private static String videos(int n) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"video\",\"name\":\"v")
                    .append(i)
                    .append("\"}");
        }
        return body.append("]}").toString();
    }
}
