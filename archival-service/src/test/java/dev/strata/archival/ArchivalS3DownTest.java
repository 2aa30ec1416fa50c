package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import dev.strata.testing.Unreachable;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The S3 store does not answer (the client points at a closed local port): runs fail, say why, remove nothing; the
 * stream archiver retries and says why.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
@TestProfile(ArchivalS3DownTest.S3Down.class)
class ArchivalS3DownTest {

    public static class S3Down implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strata.s3.endpoint", Unreachable.httpEndpoint(), "strata.s3.connect-timeout", "1s");
        }
    }

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @Test
    void shouldFailTheRunWithTheReasonAndRemoveNothing() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(400, Duration.ZERO), 30, Duration.ofMinutes(1), "user_login");
        insert(old);

        String runId = startGroupRun(group, 365);
        JsonPath run = awaitRun(runId, "failed");

        assertThat(run.getString("error")).contains("S3").contains("bucket strata-archive at http://127.0.0.1:");
        assertThat(run.getLong("totalArchived")).isZero();
        assertThat(hotIds(group)).isEqualTo(ids(old));
        assertThat(TestDatabase.scalar("SELECT count(*) FROM archival.archived_objects WHERE group_id = ?", group))
                .isZero();
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/status?groupId=" + group)
                .then()
                .statusCode(200)
                .body("eligibleForArchival", equalTo(30))
                .body("alreadyArchived", equalTo(0))
                .body("lastRun.status", equalTo("failed"))
                .body("lastRun.error", containsString("S3"));
    }

    @Test
    void shouldAnswerRestoreWithServiceUnavailable() {
        UUID group = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2021-01-01T00:00:00Z\"}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"))
                .body("detail", containsString("S3"));
    }

    @Test
    void shouldKeepTheStreamArchiverRetryingAndSayWhy() {
        long segments = TestDatabase.scalar("SELECT count(*) FROM archival.stream_segments");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.admin())
                        .get("/archival/stream")
                        .then()
                        .statusCode(200)
                        .body("archiver", equalTo("retrying"))
                        .body("lastError", containsString("bucket strata-archive")));
        // Nothing is recorded as archived while the store is away: the archiver goes on from there when it is back.
        assertThat(TestDatabase.scalar("SELECT count(*) FROM archival.stream_segments"))
                .isEqualTo(segments);
    }
}
