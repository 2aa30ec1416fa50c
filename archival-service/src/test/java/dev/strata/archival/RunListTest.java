package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.BUCKET;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.json;
import static dev.strata.archival.ArchiveFixtures.run;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.archival.service.CrashPoints;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code GET /archival/runs} and {@code GET /groups/{g}/archival/runs}: the runs a console lists, with the objects and
 * bytes each put in the archive, checked against the run's manifest and the sizes S3 reports for its objects.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class RunListTest {

    private static final String PROBLEMS = "https://strata.dev/problems/";

    @Inject
    CrashPoints crashPoints;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @AfterEach
    void disarm() {
        crashPoints.reset();
    }

    /** What a run's manifest lists (of one group, or all), with each object's size as S3 reports it. */
    private record Listed(int objects, long bytes) {}

    private static Listed manifested(String runId, Predicate<JsonNode> which) {
        JsonNode manifest = json("manifests/run=" + runId + ".json");
        int objects = 0;
        long bytes = 0;
        try (S3Client s3 = ArchiveFixtures.s3()) {
            for (JsonNode entry : manifest.get("objects")) {
                if (which.test(entry)) {
                    String key = entry.get("key").asText();
                    objects++;
                    bytes += s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength();
                }
            }
        }
        return new Listed(objects, bytes);
    }

    @Test
    void shouldListRunsNewestFirstWithTheObjectsAndBytesOfTheirManifests() {
        UUID group = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // 12 events every 3 hours from noon 420 days ago: two days, so two objects; 5 of the other group
        insert(events(group, daysAgo(420, Duration.ZERO), 12, Duration.ofHours(3), "user_login", "content_event"));
        insert(events(group, daysAgo(10, Duration.ZERO), 3, Duration.ofHours(1), "user_login"));
        insert(events(other, daysAgo(400, Duration.ZERO), 5, Duration.ofMinutes(5), "user_login"));
        String first = startGroupRun(group, 365);
        awaitRun(first, "succeeded");
        String second = startGroupRun(other, 365);
        awaitRun(second, "succeeded");

        JsonPath all = given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/runs?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> ids = all.getList("runs.runId", String.class);
        assertThat(ids).containsSubsequence(second, first);
        List<Instant> started = all.getList("runs.startedAt", String.class).stream()
                .map(Instant::parse)
                .toList();
        for (int i = 1; i < started.size(); i++) {
            assertThat(started.get(i))
                    .as("run %d started no later than run %d", i, i - 1)
                    .isBeforeOrEqualTo(started.get(i - 1));
        }

        Map<String, Object> run = all.getMap("runs[" + ids.indexOf(first) + "]");
        assertThat(run.get("status")).isEqualTo("succeeded");
        assertThat(run.get("finishedAt")).isNotNull();
        assertThat(run.get("groupsProcessed")).isEqualTo(1);
        assertThat(run.get("totalArchived")).isEqualTo(12);
        assertThat(run.get("totalFailed")).isEqualTo(0);
        assertThat(((Number) run.get("progress")).doubleValue()).isEqualTo(100.0);
        Listed firstManifest = manifested(first, entry -> true);
        assertThat(firstManifest.objects()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) run.get("objects")).longValue()).isEqualTo(firstManifest.objects());
        assertThat(((Number) run.get("bytes")).longValue()).isEqualTo(firstManifest.bytes());

        Map<String, Object> later = all.getMap("runs[" + ids.indexOf(second) + "]");
        Listed secondManifest = manifested(second, entry -> true);
        assertThat(((Number) later.get("totalArchived")).longValue()).isEqualTo(5);
        assertThat(((Number) later.get("objects")).longValue()).isEqualTo(secondManifest.objects());
        assertThat(((Number) later.get("bytes")).longValue()).isEqualTo(secondManifest.bytes());

        // The group's own view, as its tenant reads it: the run over it only, with its part.
        Listed ofGroup =
                manifested(first, entry -> entry.get("groupId").asText().equals(group.toString()));
        JsonPath mine = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/" + group + "/archival/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(mine.getString("groupId")).isEqualTo(group.toString());
        assertThat(mine.getList("runs.runId", String.class)).containsExactly(first);
        assertThat(mine.getString("runs[0].status")).isEqualTo("succeeded");
        assertThat(mine.getString("runs[0].startedAt")).isEqualTo(run.get("startedAt"));
        assertThat(mine.getString("runs[0].finishedAt")).isEqualTo(run.get("finishedAt"));
        assertThat(mine.getLong("runs[0].archived")).isEqualTo(12);
        assertThat(mine.getLong("runs[0].failed")).isZero();
        assertThat(mine.getLong("runs[0].objects")).isEqualTo(ofGroup.objects());
        assertThat(mine.getLong("runs[0].bytes")).isEqualTo(ofGroup.bytes());

        given().auth()
                .oauth2(TestTokens.admin())
                .get("/groups/" + other + "/archival/runs")
                .then()
                .statusCode(200)
                .body("runs.runId", equalTo(List.of(second)))
                .body("runs[0].archived", equalTo(5));

        List<Object> page = given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("runs");
        assertThat(page).hasSizeBetween(2, 20);
    }

    /** Before a run claims its objects for its manifest, it counts those it committed so far; after, its manifest's. */
    @Test
    void shouldCountTheObjectsARunCommittedWhileItStillWorks() {
        UUID group = UUID.randomUUID();
        insert(events(group, daysAgo(430, Duration.ZERO), 4, Duration.ofDays(1), "user_login"));
        CountDownLatch release = crashPoints.holdAt(CrashPoints.AFTER_DELETE);
        try {
            String runId = startGroupRun(group, 365);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !run(runId).getList("batches").isEmpty());
            JsonPath working = run(runId);
            assertThat(working.getString("status")).isEqualTo("running");
            List<String> committed = working.getList("batches.objectKey", String.class);
            long committedBytes = 0;
            try (S3Client s3 = ArchiveFixtures.s3()) {
                for (String key : committed) {
                    committedBytes +=
                            s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength();
                }
            }

            JsonPath all = given().auth()
                    .oauth2(TestTokens.admin())
                    .get("/archival/runs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(all.getString("runs[0].runId")).isEqualTo(runId);
            assertThat(all.getString("runs[0].status")).isEqualTo("running");
            assertThat(all.getLong("runs[0].objects")).isEqualTo(committed.size());
            assertThat(all.getLong("runs[0].bytes")).isEqualTo(committedBytes);
            assertThat(all.getDouble("runs[0].progress")).isLessThan(100.0);
            given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .get("/groups/" + group + "/archival/runs")
                    .then()
                    .statusCode(200)
                    .body("runs.runId", equalTo(List.of(runId)))
                    .body("runs[0].status", equalTo("running"))
                    .body("runs[0].objects", equalTo(committed.size()))
                    .body("runs[0].bytes", equalTo((int) committedBytes));

            release.countDown();
            awaitRun(runId, "succeeded");
            Listed manifest = manifested(runId, entry -> true);
            assertThat(manifest.objects()).isEqualTo(4);
            JsonPath done = given().auth()
                    .oauth2(TestTokens.admin())
                    .get("/archival/runs?limit=1")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(done.getString("runs[0].runId")).isEqualTo(runId);
            assertThat(done.getLong("runs[0].objects")).isEqualTo(manifest.objects());
            assertThat(done.getLong("runs[0].bytes")).isEqualTo(manifest.bytes());
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldRefuseAnotherTenantAndALimitOutOfRange() {
        UUID group = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.forTenants(stranger))
                .get("/groups/" + group + "/archival/runs")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "forbidden"));
        for (String token : List.of(TestTokens.forTenants(group), TestTokens.service())) {
            given().auth()
                    .oauth2(token)
                    .get("/archival/runs")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }
        given().get("/groups/" + group + "/archival/runs").then().statusCode(401);
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/" + group + "/archival/runs")
                .then()
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("runs", equalTo(new ArrayList<>()));

        for (String limit : List.of("0", "101", "-1", "abc", "2.5", "99999999999999999999")) {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .get("/archival/runs?limit=" + limit)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "malformed-request"))
                    .body("errors[0].field", equalTo("limit"));
            given().auth()
                    .oauth2(TestTokens.forTenants(group))
                    .get("/groups/" + group + "/archival/runs?limit=" + limit)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("limit"));
        }
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/runs?limit=100")
                .then()
                .statusCode(200);
    }
}
