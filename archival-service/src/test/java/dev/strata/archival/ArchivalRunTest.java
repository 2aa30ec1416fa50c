package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.bytes;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.json;
import static dev.strata.archival.ArchiveFixtures.lines;
import static dev.strata.archival.ArchiveFixtures.objectKeys;
import static dev.strata.archival.ArchiveFixtures.run;
import static dev.strata.archival.ArchiveFixtures.sha256;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.archival.service.CrashPoints;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.payload.EventsArchived;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ArchivalRunTest {

    /** Has a 30-day threshold in the test configuration (application.properties). */
    static final UUID SHORT_RETENTION_GROUP = UUID.fromString("0190f5a0-0000-7000-8000-00000000a001");

    private static EventStreamProbe stream;

    @Inject
    CrashPoints crashPoints;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void tearDown() {
        stream.close();
    }

    @AfterEach
    void disarm() {
        crashPoints.reset();
    }

    @Test
    void shouldArchiveExactlyTheEventsOlderThanTheCutoffIntoOneObjectPerGroupDaySlice() throws Exception {
        UUID group = UUID.randomUUID();
        String[] types = {"revenue_generated", "content_event", "user_login"};
        // Pages of 50 (test batch size) in (timestamp, id) order: 5 (500 days ago) + 40 (401) + 5 (400), then
        // the other 25 of 400 days ago: four objects of 5, 40, 5 and 25 events.
        List<Event> day500 = events(group, daysAgo(500, Duration.ZERO), 5, Duration.ofMinutes(7), types);
        List<Event> day401 = events(group, daysAgo(401, Duration.ZERO), 40, Duration.ofMinutes(3), types);
        List<Event> day400 = events(group, daysAgo(400, Duration.ZERO), 30, Duration.ofMinutes(2), types);
        List<Event> young =
                new ArrayList<>(events(group, daysAgo(364, Duration.ZERO), 3, Duration.ofMinutes(1), types));
        young.addAll(events(group, daysAgo(100, Duration.ZERO), 20, Duration.ofMinutes(1), types));
        List<Event> old = new ArrayList<>(day500);
        old.addAll(day401);
        old.addAll(day400);
        insert(old);
        insert(young);
        double objectsBefore = meter("strata.archival.objects");
        double bytesBefore = meter("strata.archival.written");
        double eventsBefore =
                registry.get("strata.archival.events.archived").counter().count();

        String runId = startGroupRun(group, 365);
        JsonPath run = awaitRun(runId, "succeeded");

        assertThat(run.getLong("totalArchived")).isEqualTo(75);
        assertThat(run.getLong("totalFailed")).isZero();
        assertThat(run.getDouble("successRate")).isEqualTo(100.0);
        assertThat(run.getDouble("progress")).isEqualTo(100.0);
        assertThat(run.getInt("groupsProcessed")).isEqualTo(1);
        assertThat(run.getLong("eligibleAtStart")).isEqualTo(75);
        assertThat(run.getList("batches.archived", Integer.class)).containsExactly(5, 40, 5, 25);
        assertThat(run.getList("batches.groupId", String.class)).containsOnly(group.toString());
        assertThat(hotIds(group)).isEqualTo(ids(young));

        List<String> keys = objectKeys(group);
        assertThat(keys)
                .hasSize(4)
                .allMatch(key -> key.matches("events/group=" + group + "/date=\\d{4}-\\d{2}-\\d{2}/part-" + runId
                        + "-\\d{5}\\.ndjson\\.gz"));
        assertThat(archivedIds(group)).hasSize(75).containsExactlyInAnyOrderElementsOf(ids(old));
        // The operator's meters: what this run wrote and archived.
        assertThat(meter("strata.archival.objects") - objectsBefore).isEqualTo(4);
        assertThat(meter("strata.archival.written") - bytesBefore)
                .isEqualTo(keys.stream().mapToLong(key -> bytes(key).length).sum());
        assertThat(registry.get("strata.archival.events.archived").counter().count() - eventsBefore)
                .isEqualTo(75);

        Map<UUID, Event> byId = old.stream().collect(Collectors.toMap(Event::id, e -> e));
        for (String key : keys) {
            LocalDate date = LocalDate.parse(key.replaceAll(".*/date=([^/]+)/.*", "$1"));
            List<JsonNode> lines = lines(bytes(key));
            Instant previous = Instant.MIN;
            for (JsonNode line : lines) {
                Event event = byId.get(UUID.fromString(line.get("id").asText()));
                assertThat(line.get("groupId").asText()).isEqualTo(group.toString());
                assertThat(line.get("type").asText()).isEqualTo(event.type());
                assertThat(line.get("actorId").asText())
                        .isEqualTo(event.actorId().toString());
                assertThat(
                                line.get("targetId").isNull()
                                        ? null
                                        : UUID.fromString(line.get("targetId").asText()))
                        .isEqualTo(event.targetId());
                Instant at = Instant.parse(line.get("timestamp").asText());
                assertThat(at).isEqualTo(event.timestamp());
                assertThat(Instant.parse(line.get("recordedAt").asText())).isEqualTo(event.recordedAt());
                assertThat(line.get("metadata")).isEqualTo(ArchiveFixtures.JSON.readTree(event.metadata()));
                assertThat(LocalDate.ofInstant(at, ZoneOffset.UTC)).isEqualTo(date);
                assertThat(at).isAfterOrEqualTo(previous);
                previous = at;
            }
        }

        // The manifest, written last, describes each object exactly.
        assertThat(run.getString("manifestKey")).isEqualTo("manifests/run=" + runId + ".json");
        JsonNode manifest = json(run.getString("manifestKey"));
        assertThat(manifest.get("runId").asText()).isEqualTo(runId);
        Map<String, JsonNode> listed = new HashMap<>();
        manifest.get("objects").forEach(entry -> listed.put(entry.get("key").asText(), entry));
        assertThat(listed.keySet()).containsAll(keys);
        for (String key : keys) {
            byte[] object = bytes(key);
            List<JsonNode> lines = lines(object);
            JsonNode entry = listed.get(key);
            assertThat(entry.get("eventCount").asInt()).isEqualTo(lines.size());
            assertThat(entry.get("bytes").asLong()).isEqualTo(object.length);
            assertThat(entry.get("sha256").asText()).isEqualTo(sha256(object));
            assertThat(Instant.parse(entry.get("minTime").asText()))
                    .isEqualTo(Instant.parse(lines.get(0).get("timestamp").asText()));
            assertThat(Instant.parse(entry.get("maxTime").asText()))
                    .isEqualTo(Instant.parse(
                            lines.get(lines.size() - 1).get("timestamp").asText()));
        }

        // One events_archived per object, with what that object holds.
        List<EventEnvelope> archived =
                List.copyOf(ArchiveFixtures.archivedEvents(stream, group, 4).values());
        assertThat(archived).hasSize(4);
        assertThat(archived.stream()
                        .map(e -> ArchiveFixtures.archived(e).objectKey())
                        .toList())
                .containsExactlyInAnyOrderElementsOf(keys);
        for (EventEnvelope event : archived) {
            EventsArchived payload = ArchiveFixtures.archived(event);
            List<JsonNode> lines = lines(bytes(payload.objectKey()));
            Map<String, Long> countsByType = new TreeMap<>();
            Map<String, BigDecimal> revenue = new TreeMap<>();
            for (JsonNode line : lines) {
                countsByType.merge(line.get("type").asText(), 1L, Long::sum);
                if (line.get("type").asText().equals("revenue_generated")) {
                    revenue.merge(
                            line.get("metadata").get("currency").asText(),
                            line.get("metadata").get("amount").decimalValue(),
                            BigDecimal::add);
                }
            }
            assertThat(event.groupid()).isEqualTo(group.toString());
            assertThat(payload.count()).isEqualTo(lines.size());
            assertThat(new TreeMap<>(payload.countsByType())).isEqualTo(countsByType);
            Map<String, BigDecimal> publishedRevenue =
                    payload.revenueByCurrency() == null ? Map.of() : payload.revenueByCurrency();
            assertThat(publishedRevenue).hasSameSizeAs(revenue);
            revenue.forEach((currency, sum) ->
                    assertThat(publishedRevenue.get(currency)).isEqualByComparingTo(sum));
            assertThat(payload.minTime())
                    .isEqualTo(Instant.parse(lines.get(0).get("timestamp").asText()));
            assertThat(payload.maxTime())
                    .isEqualTo(Instant.parse(
                            lines.get(lines.size() - 1).get("timestamp").asText()));
        }
    }

    @Test
    void shouldReportWhatIsEligibleAndWhatIsArchived() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(420, Duration.ZERO), 12, Duration.ofHours(1), "user_login");
        List<Event> young = events(group, daysAgo(10, Duration.ZERO), 3, Duration.ofHours(1), "user_login");
        insert(old);
        insert(young);
        String admin = TestTokens.admin();

        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + group)
                .then()
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("eligibleForArchival", equalTo(12))
                .body("alreadyArchived", equalTo(0))
                .body("config.ageThresholdDays", equalTo(365))
                .body("config.batchSize", equalTo(50))
                .body("config.retentionDays", equalTo(2555));
        JsonPath status = given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + group)
                .then()
                .extract()
                .jsonPath();
        assertThat(status.getLong("estimates.storageSaved")).isPositive();
        assertThat(status.getDouble("estimates.hoursToArchiveAll")).isGreaterThanOrEqualTo(0.0);

        List<Event> oldest =
                old.stream().sorted(Comparator.comparing(Event::timestamp)).toList();
        JsonPath eligible = given().auth()
                .oauth2(admin)
                .get("/archival/eligible?groupId=" + group + "&limit=5")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(eligible.getInt("count")).isEqualTo(5);
        assertThat(eligible.getBoolean("hasMore")).isTrue();
        assertThat(eligible.getList("events.id", String.class))
                .containsExactlyElementsOf(oldest.subList(0, 5).stream()
                        .map(e -> e.id().toString())
                        .toList());
        JsonPath before = given().auth()
                .oauth2(admin)
                .get("/archival/eligible?groupId=" + group + "&before="
                        + oldest.get(3).timestamp())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(before.getList("events.id", String.class))
                .containsExactlyElementsOf(oldest.subList(0, 3).stream()
                        .map(e -> e.id().toString())
                        .toList());
        assertThat(before.getBoolean("hasMore")).isFalse();

        // Over every group, with per-group thresholds: answers, whatever other tests left.
        given().auth()
                .oauth2(admin)
                .get("/archival/status")
                .then()
                .statusCode(200)
                .body("config.ageThresholdDays", equalTo(365));
        given().auth()
                .oauth2(admin)
                .get("/archival/eligible?limit=3")
                .then()
                .statusCode(200)
                .body("limit", equalTo(3));
        given().auth()
                .oauth2(admin)
                .get("/archival/eligible?before=" + oldest.get(0).timestamp())
                .then()
                .statusCode(200);

        String vacuums =
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = 'ingest'" + " AND relname = 'events'";
        long vacuumsBefore = TestDatabase.scalar(vacuums);
        awaitRun(startGroupRun(group, 365), "succeeded");

        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + group)
                .then()
                .statusCode(200)
                .body("eligibleForArchival", equalTo(0))
                .body("alreadyArchived", equalTo(12));
        // the run reclaims the space of what it deleted (autovacuum is counted apart, and may be off)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(TestDatabase.scalar(vacuums)).isGreaterThan(vacuumsBefore));
        given().auth()
                .oauth2(admin)
                .get("/archival/eligible?groupId=" + group)
                .then()
                .statusCode(200)
                .body("count", equalTo(0));
    }

    @Test
    void shouldCommitNothingOnceTheRunWasGivenUpForDead() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(400, Duration.ZERO), 20, Duration.ofMinutes(1), "user_login");
        insert(old);
        CountDownLatch release = crashPoints.holdAt(CrashPoints.AFTER_VERIFY);
        try {
            String runId = startGroupRun(group, 365);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestDatabase.scalar(
                                    "SELECT count(*) FROM archival.archived_objects WHERE run_id = ?::uuid", runId)
                            > 0);
            // What the heartbeat check does to a replica that stopped renewing its lease, done to a live one.
            assertThat(TestDatabase.update(
                            "UPDATE archival.archive_runs SET status = 'failed', finished_at = now(),"
                                    + " error = 'given up for dead by the test' WHERE id = ?::uuid",
                            runId))
                    .isEqualTo(1);
            release.countDown();

            // Its uploads were verified, but none of its commits may go through any more.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> hotIds(group).size() == old.size());
            assertThat(TestDatabase.scalar(
                            "SELECT count(*) FROM archival.archived_objects WHERE run_id = ?::uuid"
                                    + " AND state = 'archived'",
                            runId))
                    .isZero();
            assertThat(run(runId).getString("error")).isEqualTo("given up for dead by the test");

            // The next run finishes what it left: every event archived once, none left hot.
            String next = startGroupRun(group, 365);
            assertThat(awaitRun(next, "succeeded").getLong("totalArchived")).isEqualTo(old.size());
            assertThat(hotIds(group)).isEmpty();
            assertThat(archivedIds(group)).hasSize(old.size()).containsExactlyInAnyOrderElementsOf(ids(old));
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldAnswerEveryTriggerWithTheRunAlreadyActive() throws Exception {
        UUID group = UUID.randomUUID();
        insert(events(group, daysAgo(400, Duration.ZERO), 20, Duration.ofMinutes(1), "user_login"));
        CountDownLatch release = crashPoints.holdAt(CrashPoints.AFTER_PLAN);
        try {
            String runId = startGroupRun(group, 365);

            given().auth()
                    .oauth2(TestTokens.admin())
                    .post("/archival/runs")
                    .then()
                    .statusCode(202)
                    .body("id", equalTo(runId))
                    .body("created", equalTo(false))
                    .body("status", equalTo("running"));
            given().auth()
                    .oauth2(TestTokens.admin())
                    .post("/groups/" + group + "/archival?daysCutoff=365")
                    .then()
                    .statusCode(202)
                    .body("id", equalTo(runId));
            given().auth()
                    .oauth2(TestTokens.admin())
                    .post("/groups/" + UUID.randomUUID() + "/archival")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("activeRunId", equalTo(runId));
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType("application/json")
                    .body("{\"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2021-01-01T00:00:00Z\"}")
                    .post("/groups/" + group + "/archival/restore")
                    .then()
                    .statusCode(409);
            JsonPath running = run(runId);
            assertThat(running.getString("status")).isEqualTo("running");
            assertThat(running.getBoolean("stale")).isFalse();
            assertThat(running.getDouble("progress")).isLessThan(100.0);
            assertThat(running.getLong("eligibleAtStart")).isEqualTo(20);

            release.countDown();
            JsonPath done = awaitRun(runId, "succeeded");
            assertThat(done.getLong("totalArchived")).isEqualTo(20);
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldArchiveEveryGroupWithItsOwnThresholdOnTheGlobalRun() {
        UUID plain = UUID.randomUUID();
        List<Event> plainOld = events(plain, daysAgo(380, Duration.ZERO), 7, Duration.ofMinutes(5), "user_login");
        List<Event> plainMonthOld = events(plain, daysAgo(40, Duration.ZERO), 4, Duration.ofMinutes(5), "user_login");
        // A fixed group (its threshold is configuration): only what this test inserts is checked.
        List<Event> shortMonthOld =
                events(SHORT_RETENTION_GROUP, daysAgo(40, Duration.ZERO), 6, Duration.ofMinutes(5), "content_event");
        List<Event> shortRecent =
                events(SHORT_RETENTION_GROUP, daysAgo(20, Duration.ZERO), 2, Duration.ofMinutes(5), "content_event");
        insert(plainOld);
        insert(plainMonthOld);
        insert(shortMonthOld);
        insert(shortRecent);

        JsonPath accepted = given().auth()
                .oauth2(TestTokens.admin())
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .body("created", equalTo(true))
                .extract()
                .jsonPath();
        assertThat(accepted.getString("href")).isEqualTo("/archival/runs/" + accepted.getString("id"));
        awaitRun(accepted.getString("id"), "succeeded");

        assertThat(hotIds(plain)).isEqualTo(ids(plainMonthOld));
        assertThat(archivedIds(plain)).containsExactlyInAnyOrderElementsOf(ids(plainOld));
        assertThat(hotIds(SHORT_RETENTION_GROUP))
                .containsAll(ids(shortRecent))
                .doesNotContainAnyElementsOf(ids(shortMonthOld));
        assertThat(archivedIds(SHORT_RETENTION_GROUP))
                .containsAll(ids(shortMonthOld))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldUploadObjectsAboveTheThresholdInParts() throws Exception {
        UUID group = UUID.randomUUID();
        // Incompressible metadata: 45 events of ~170 KB make one object of about 5.8 MB, above the test threshold
        // (64 KiB): two parts of at most 5 MiB (S3's minimum part size).
        java.util.Random random = new java.util.Random(42);
        List<Event> big =
                events(group, daysAgo(700, Duration.ZERO), 45, Duration.ofMinutes(1), "content_event").stream()
                        .map(e -> {
                            byte[] noise = new byte[128 * 1024];
                            random.nextBytes(noise);
                            String blob = java.util.Base64.getEncoder().encodeToString(noise);
                            return new Event(
                                    e.id(),
                                    e.groupId(),
                                    e.type(),
                                    e.actorId(),
                                    e.targetId(),
                                    e.timestamp(),
                                    "{\"blob\": \"" + blob + "\"}",
                                    e.recordedAt());
                        })
                        .toList();
        insert(big);

        JsonPath run = awaitRun(startGroupRun(group, 365), "succeeded");

        List<String> keys = objectKeys(group);
        assertThat(keys).hasSize(1);
        byte[] object = bytes(keys.get(0));
        assertThat(object.length).isGreaterThan(5 * 1024 * 1024);
        String etag;
        try (var s3 = ArchiveFixtures.s3()) {
            etag = s3.headObject(b -> b.bucket(ArchiveFixtures.BUCKET).key(keys.get(0)))
                    .eTag();
        }
        assertThat(etag).as("a multipart object's ETag counts its parts").endsWith("-2\"");
        Map<UUID, Event> byId = big.stream().collect(Collectors.toMap(Event::id, e -> e));
        List<JsonNode> lines = lines(object);
        assertThat(lines).hasSize(45);
        for (JsonNode line : lines) {
            assertThat(line.get("metadata"))
                    .isEqualTo(ArchiveFixtures.JSON.readTree(
                            byId.get(UUID.fromString(line.get("id").asText())).metadata()));
        }
        JsonNode manifest = json(run.getString("manifestKey"));
        JsonNode entry = null;
        for (JsonNode candidate : manifest.get("objects")) {
            if (candidate.get("key").asText().equals(keys.get(0))) {
                entry = candidate;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("sha256").asText()).isEqualTo(sha256(object));
        assertThat(entry.get("bytes").asLong()).isEqualTo(object.length);
    }

    @Test
    void shouldLetOnlyAdminsIn() {
        UUID group = UUID.randomUUID();
        for (String token : List.of(TestTokens.forTenants(group), TestTokens.service())) {
            given().auth()
                    .oauth2(token)
                    .post("/archival/runs")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(token)
                    .get("/archival/status?groupId=" + group)
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(token)
                    .get("/archival/eligible?groupId=" + group)
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(token)
                    .get("/archival/runs/" + UUID.randomUUID())
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(token)
                    .post("/groups/" + group + "/archival")
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{\"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2021-01-01T00:00:00Z\"}")
                    .post("/groups/" + group + "/archival/restore")
                    .then()
                    .statusCode(403);
        }
        given().post("/archival/runs").then().statusCode(401);
        given().get("/archival/status").then().statusCode(401);
    }

    @Test
    void shouldRejectMalformedParametersWithProblems() {
        String admin = TestTokens.admin();
        UUID group = UUID.randomUUID();
        given().auth()
                .oauth2(admin)
                .post("/groups/" + group + "/archival?daysCutoff=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("daysCutoff"));
        given().auth()
                .oauth2(admin)
                .post("/groups/not-a-uuid/archival")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
        given().auth()
                .oauth2(admin)
                .get("/archival/eligible?limit=0")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().auth()
                .oauth2(admin)
                .get("/archival/eligible?before=yesterday")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("before"));
        given().auth()
                .oauth2(admin)
                .post("/groups/" + group + "/archival?daysCutoff=10000000")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("daysCutoff"));
        given().auth()
                .oauth2(admin)
                .get("/archival/runs/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"from\": \"2021-01-01T00:00:00Z\", \"to\": \"2020-01-01T00:00:00Z\"}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("to"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2021-01-01T00:00:00Z\", \"x\": 1}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"from\": \"soon\", \"to\": \"2021-01-01T00:00:00Z\"}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }

    private double meter(String name) {
        return registry.get(name).tag("kind", "events").counter().count();
    }
}
