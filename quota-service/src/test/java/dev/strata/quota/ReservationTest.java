package dev.strata.quota;

import static dev.strata.quota.QuotaApi.as;
import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.reserve;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.batchImport;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.quota.service.ReservationResolver;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ReservationTest {

    @Inject
    TestClock clock;

    @Inject
    ReservationResolver resolver;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static UUID knownGroup(String plan) {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, plan));
        awaitGroup(group);
        return group;
    }

    @Test
    void shouldGrantExactlyTheLastTenUnitsToFiftyConcurrentRequests() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int round = 0; round < 4; round++) {
            UUID group = knownGroup("pro");
            send(
                    thingCreated(group, "video", 0),
                    thingCreated(group, "video", 0),
                    thingCreated(group, "video", 0),
                    thingCreated(group, "video", 0),
                    thingCreated(group, "video", 0));
            eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(5)));
            setOverrides(group, "{\"entities_total\": 15}"); // 10 units left

            HttpRequest request = HttpRequest.newBuilder(URI.create(
                            "http://localhost:" + RestAssured.port + "/groups/" + group + "/quotas/reservations"))
                    .header("Authorization", "Bearer " + TestTokens.forTenants(group))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"metric\":\"entities_total\",\"amount\":1}"))
                    .build();
            List<CompletableFuture<HttpResponse<String>>> racing = IntStream.range(0, 50)
                    .mapToObj(i -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                    .toList();
            Map<Integer, Long> byStatus = racing.stream()
                    .map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

            assertThat(byStatus).as("round %d", round).isEqualTo(Map.of(201, 10L, 409, 40L));
            assertThat(TestDatabase.scalar(
                            "SELECT sum(amount) FROM quota.reservations WHERE group_id = ?" + " AND status = 'open'",
                            group))
                    .isEqualTo(10);
        }
    }

    @Test
    void shouldRefuseWithAQuotaExceededProblemNamingTheUpgrade() {
        UUID group = knownGroup("starter");
        send(
                thingCreated(group, "user", 0),
                thingCreated(group, "creator", 0),
                thingCreated(group, "user", 0),
                thingCreated(group, "user", 0));
        eventually(() -> quotas(group).body("quotas.users.current", equalTo(4)));

        reserve(group, "users", 2, null)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/quota-exceeded"))
                .body("status", equalTo(409))
                .body("metric", equalTo("users"))
                .body("current", equalTo(4))
                .body("limit", equalTo(5))
                .body("requested", equalTo(2))
                .body("upgrade", equalTo("pro"));
        reserve(group, "users", 1, null)
                .statusCode(201)
                .header("Location", notNullValue())
                .body("keySet()", containsInAnyOrder("id", "metric", "amount", "expiresAt"))
                .body("metric", equalTo("users"))
                .body("amount", equalTo(1));

        UUID biggest = knownGroup("enterprise");
        setOverrides(biggest, "{\"connections_total\": 1}");
        reserve(biggest, "connections_total", 2, null)
                .statusCode(409)
                .body("$", hasKey("upgrade"))
                .body("upgrade", nullValue());
    }

    @Test
    void shouldAlwaysGrantUnlimitedMetrics() {
        UUID group = knownGroup("enterprise");
        reserve(group, "entities_total", 1_000_000_000L, null).statusCode(201);
        reserve(group, "storage_gb", 1L << 40, null).statusCode(201); // 1 TiB
    }

    @Test
    void shouldSettleAReservationWhenItsBatchImportArrives() {
        UUID group = knownGroup("starter");
        UUID batchId = UUID.randomUUID();
        String id = reserve(group, "entities_total", 3, batchId.toString())
                .statusCode(201)
                .extract()
                .path("id");

        // While open, the reservation counts: 100 - 0 used - 3 reserved.
        as(group)
                .get("/groups/{g}/quotas/entities/check?count=98", group)
                .then()
                .body("canCreate", equalTo(false))
                .body("available", equalTo(97));

        send(
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                batchImport(group, batchId, 3));
        eventually(() -> as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(200)
                .body("status", equalTo("settled")));

        // Settled: the three entities count as usage, the reservation no longer does.
        as(group)
                .get("/groups/{g}/quotas/entities/check?count=97", group)
                .then()
                .body("canCreate", equalTo(true))
                .body("current", equalTo(3))
                .body("available", equalTo(97));
        as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("reference", equalTo(batchId.toString()))
                .body("closedAt", notNullValue());
    }

    @Test
    void shouldExpireAReservationWithoutAReferenceAtItsTtl() {
        clock.set(Instant.parse("2030-06-01T12:00:00Z"));
        UUID group = knownGroup("starter");
        String id = reserve(group, "entities_total", 100, null)
                .statusCode(201)
                .body("expiresAt", equalTo("2030-06-01T12:05:00Z"))
                .extract()
                .path("id");
        reserve(group, "entities_total", 1, null).statusCode(409).body("reserved", equalTo(100));

        clock.advance(Duration.ofMinutes(4));
        reserve(group, "entities_total", 1, null).statusCode(409);

        // Nothing can settle a reservation without a reference, and there is no write to ask about: the TTL ends it.
        clock.advance(Duration.ofMinutes(1));
        reserve(group, "entities_total", 1, null).statusCode(201);
        as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(200)
                .body("status", equalTo("expired"));
        resolve();
        assertThat(TestDatabase.rows(
                        "SELECT status, closed_at = expires_at FROM quota.reservations WHERE id = ?",
                        UUID.fromString(id)))
                .containsExactly(List.of("expired", true));
    }

    @Test
    void shouldHoldAConfirmedReservationPastItsTtlUntilItsEventsAreApplied() {
        clock.set(Instant.parse("2030-06-01T12:00:00Z"));
        UUID group = knownGroup("starter");
        setOverrides(group, "{\"entities_total\": 3}");
        UUID batchId = UUID.randomUUID();
        String id = reserve(group, "entities_total", 3, batchId.toString())
                .statusCode(201)
                .extract()
                .path("id");

        commit(group, batchId.toString())
                .statusCode(200)
                .body("reference", equalTo(batchId.toString()))
                .body("reservations.id", contains(id))
                .body("reservations[0].status", equalTo("committed"))
                .body("reservations[0].committedAt", equalTo("2030-06-01T12:00:00Z"))
                .body("reservations[0].closedAt", nullValue());
        commit(group, batchId.toString()).statusCode(200).body("reservations[0].status", equalTo("committed"));

        // An hour past the TTL with the events still on their way (a paused or lagging consumer): still held, and
        // ingest is not even asked, since its writer confirmed it.
        clock.advance(Duration.ofHours(1));
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId)).isZero();
        reserve(group, "entities_total", 1, null)
                .statusCode(409)
                .body("current", equalTo(0))
                .body("reserved", equalTo(3))
                .body("limit", equalTo(3));
        as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("status", equalTo("committed"))
                .body("closedAt", nullValue());
        // Its write committed: the tenant cannot give it back (an administrator could, as a repair).
        as(group)
                .delete("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("committed"));

        send(
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                batchImport(group, batchId, 3));
        eventually(() -> as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("status", equalTo("settled")));
        reserve(group, "entities_total", 1, null)
                .statusCode(409)
                .body("current", equalTo(3))
                .body("reserved", equalTo(0));
        // A confirmation arriving after the settlement (the consumer was quicker) changes nothing.
        commit(group, batchId.toString()).statusCode(200).body("reservations[0].status", equalTo("settled"));
    }

    @Test
    void shouldAskIngestAboutAnUnconfirmedReservationAndHoldItWhenItsWriteCommitted() {
        // ingest committed the write and died (or quota-service was down) before it confirmed the reservation
        clock.set(Instant.parse("2030-06-01T12:00:00Z"));
        UUID group = knownGroup("starter");
        setOverrides(group, "{\"entities_total\": 3}");
        UUID batchId = UUID.randomUUID();
        FakeIngestBatches.committed(batchId);
        String id = reserve(group, "entities_total", 3, batchId.toString())
                .statusCode(201)
                .extract()
                .path("id");

        clock.advance(Duration.ofMinutes(5)); // the TTL is over: past it, an unconfirmed reservation still holds
        reserve(group, "entities_total", 1, null).statusCode(409).body("reserved", equalTo(3));
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("open"));

        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId)).isEqualTo(1);
        as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("status", equalTo("committed"))
                .body("committedAt", equalTo("2030-06-01T12:05:00Z"));

        clock.advance(Duration.ofHours(1));
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId))
                .as("asked once, then known")
                .isEqualTo(1);
        reserve(group, "entities_total", 1, null)
                .statusCode(409)
                .body("current", equalTo(0))
                .body("reserved", equalTo(3));

        send(
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                thingCreated(group, "video", 0, batchId),
                batchImport(group, batchId, 3));
        eventually(() -> as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("status", equalTo("settled")));
        reserve(group, "entities_total", 1, null)
                .statusCode(409)
                .body("current", equalTo(3))
                .body("reserved", equalTo(0));
    }

    @Test
    void shouldEndAnUnconfirmedReservationOnlyOnceIngestSaysItsWriteWillNeverCommit() {
        clock.set(Instant.parse("2030-06-01T12:00:00Z"));
        UUID group = knownGroup("starter");
        setOverrides(group, "{\"entities_total\": 3}");
        UUID batchId = UUID.randomUUID(); // a write that never commits: ingest failed after reserving
        String id = reserve(group, "entities_total", 3, batchId.toString())
                .statusCode(201)
                .extract()
                .path("id");

        clock.advance(Duration.ofMinutes(4));
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId))
                .as("not due before its TTL")
                .isZero();
        reserve(group, "entities_total", 1, null).statusCode(409).body("reserved", equalTo(3));

        // Past the TTL, but ingest cannot answer: the reservation keeps holding
        clock.advance(Duration.ofMinutes(1));
        FakeIngestBatches.unreachable(batchId, true);
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId)).isEqualTo(1);
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("open"));
        reserve(group, "entities_total", 1, null).statusCode(409).body("reserved", equalTo(3));

        // ingest answers: the write did not commit, and is fenced so that it never will; the reservation ends
        FakeIngestBatches.unreachable(batchId, false);
        clock.advance(Duration.ofSeconds(30));
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId)).isEqualTo(2);
        assertThat(FakeIngestBatches.abandoned(batchId)).isTrue();
        as(group)
                .get("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .body("status", equalTo("expired"))
                .body("closedAt", equalTo("2030-06-01T12:05:30Z"));
        reserve(group, "entities_total", 3, null).statusCode(201);

        // Ended for good: a late confirmation does not bring it back, and ingest is not asked again
        commit(group, batchId.toString()).statusCode(200).body("reservations[0].status", equalTo("expired"));
        resolve();
        assertThat(FakeIngestBatches.asked(group, batchId)).isEqualTo(2);
    }

    @Test
    void shouldExpireAReferenceThatNamesNoBatchWithoutAskingIngest() {
        clock.set(Instant.parse("2030-06-01T12:00:00Z"));
        UUID group = knownGroup("starter");
        String id = reserve(group, "entities_total", 100, "not-a-batch-id")
                .statusCode(201)
                .extract()
                .path("id");
        clock.advance(Duration.ofMinutes(5));
        reserve(group, "entities_total", 1, null).statusCode(409);
        int asked = FakeIngestBatches.ASKED.size();
        resolve();
        assertThat(FakeIngestBatches.ASKED.stream()
                        .skip(asked)
                        .filter(a -> a.group().equals(group)))
                .isEmpty();
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("expired"));
        reserve(group, "entities_total", 1, null).statusCode(201);
    }

    @Test
    void shouldLetOnlyTheWriterOrAnAdministratorConfirmAWrite() {
        UUID group = knownGroup("starter");
        UUID batchId = UUID.randomUUID();
        String id = reserve(group, "entities_total", 1, batchId.toString())
                .statusCode(201)
                .extract()
                .path("id");

        as(group)
                .contentType("application/json")
                .body("{\"reference\":\"" + batchId + "\"}")
                .post("/groups/{g}/quotas/reservations:commit", group)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("open"));

        commit(group, " ").statusCode(422).body("errors[0].field", equalTo("reference"));
        commit(group, "x".repeat(257)).statusCode(422).body("errors[0].field", equalTo("reference"));
        commit(group, UUID.randomUUID().toString()).statusCode(200).body("reservations", empty());
        given().auth()
                .oauth2(TestTokens.service())
                .contentType("application/json")
                .body("{}")
                .post("/groups/{g}/quotas/reservations:commit", group)
                .then()
                .statusCode(422);

        QuotaApi.asAdmin()
                .contentType("application/json")
                .body("{\"reference\":\"" + batchId + "\"}")
                .post("/groups/{g}/quotas/reservations:commit", group)
                .then()
                .statusCode(200)
                .body("reservations[0].status", equalTo("committed"));
        // an administrator may release it (a repair); nobody else
        as(group)
                .delete("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(409);
        QuotaApi.asAdmin()
                .delete("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(204);
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("released"));
    }

    /** ingest's confirmation that the write with this reference committed (service token). */
    private static io.restassured.response.ValidatableResponse commit(UUID group, String reference) {
        return given().auth()
                .oauth2(TestTokens.service())
                .contentType("application/json")
                .body(Map.of("reference", reference))
                .post("/groups/{g}/quotas/reservations:commit", group)
                .then();
    }

    /** One run of the resolver, on a Vert.x context as the scheduler runs it (its state changes use Panache). */
    private void resolve() {
        try {
            VertxContextSupport.subscribeAndAwait(() ->
                    resolver.run().ifNoItem().after(Duration.ofSeconds(30)).fail());
        } catch (Throwable e) {
            throw new AssertionError("the resolver's run failed", e);
        }
    }

    @Test
    void shouldEndEachReservationOnceWhenItsReleaseAndItsConfirmationRace() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        UUID group = knownGroup("pro");
        String base = "http://localhost:" + RestAssured.port + "/groups/" + group + "/quotas/reservations";
        for (int round = 0; round < 20; round++) {
            String reference = UUID.randomUUID().toString();
            String id = reserve(group, "entities_total", 1, reference)
                    .statusCode(201)
                    .extract()
                    .path("id");
            HttpRequest release = HttpRequest.newBuilder(URI.create(base + "/" + id))
                    .header("Authorization", "Bearer " + TestTokens.forTenants(group))
                    .DELETE()
                    .build();
            HttpRequest confirm = HttpRequest.newBuilder(URI.create(base + ":commit"))
                    .header("Authorization", "Bearer " + TestTokens.service())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reference\":\"" + reference + "\"}"))
                    .build();
            CompletableFuture<HttpResponse<String>> released =
                    http.sendAsync(release, HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> confirmed =
                    http.sendAsync(confirm, HttpResponse.BodyHandlers.ofString());

            int releaseStatus = released.join().statusCode();
            assertThat(confirmed.join().statusCode()).as("round %d", round).isEqualTo(200);
            Object stored = TestDatabase.single(
                            "SELECT status FROM quota.reservations WHERE id = ?", UUID.fromString(id))
                    .get(0);
            // The release won (204) and the confirmation found nothing open, or the confirmation won and a tenant's
            // release of a committed reservation is refused (409): never both, never neither.
            assertThat(releaseStatus + " " + stored).as("round %d", round).isIn("204 released", "409 committed");
        }
    }

    @Test
    void shouldApplyConcurrentChangesOfOneNewOverrideWithoutRefusingAny() {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        UUID group = knownGroup("starter");
        List<CompletableFuture<HttpResponse<String>>> racing = IntStream.range(0, 10)
                .mapToObj(i -> HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + RestAssured.port + "/groups/" + group + "/quotas/overrides"))
                        .header("Authorization", "Bearer " + TestTokens.admin())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"entities_total\": " + (200 + i) + "}"))
                        .build())
                .map(request -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(racing.stream().map(f -> f.join().statusCode())).containsOnly(200);
        List<Object> stored = TestDatabase.single(
                "SELECT count(*), min(limit_value) BETWEEN 200 AND 209 FROM quota.overrides WHERE group_id = ?", group);
        assertThat(stored).containsExactly(1L, true);
    }

    @Test
    void shouldFreeTheQuotaOfAReleasedReservation() {
        UUID group = knownGroup("starter");
        String id = reserve(group, "entities_total", 100, null)
                .statusCode(201)
                .extract()
                .path("id");
        reserve(group, "entities_total", 1, null).statusCode(409);

        as(group)
                .delete("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(204);
        as(group)
                .delete("/groups/{g}/quotas/reservations/{id}", group, id)
                .then()
                .statusCode(204);
        reserve(group, "entities_total", 1, null).statusCode(201);
        as(group).get("/groups/{g}/quotas/reservations/{id}", group, id).then().body("status", equalTo("released"));
        as(group)
                .delete("/groups/{g}/quotas/reservations/{id}", group, UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void shouldRejectInvalidReservationsAndUnknownGroups() {
        UUID group = knownGroup("pro");
        Function<String, io.restassured.response.ValidatableResponse> post = body -> as(group)
                .contentType("application/json")
                .body(body)
                .post("/groups/{g}/quotas/reservations", group)
                .then();
        post.apply("{\"metric\":\"events_retention_days\",\"amount\":1}")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("metric"));
        post.apply("{\"metric\":\"users\",\"amount\":0}").statusCode(422).body("errors[0].field", equalTo("amount"));
        post.apply("{\"metric\":\"users\",\"amount\":1,\"colour\":\"red\"}").statusCode(400);
        post.apply("{\"metric\":\"users\",\"amount\":\"one\"}").statusCode(400);
        post.apply("not json").statusCode(400);
        UUID unknown = UUID.randomUUID();
        reserve(unknown, "users", 1, null).statusCode(404).contentType("application/problem+json");
    }
}
