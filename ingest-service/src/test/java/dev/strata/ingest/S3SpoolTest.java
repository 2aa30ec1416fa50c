package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.users;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestS3;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * With {@code spool-store=s3} a job's body is kept in S3, so any replica runs or takes over any job without a shared
 * volume: this replica ("replica-b", a spool directory of its own) resumes a job a dead replica left half done and
 * runs one it received but never started, reading the bodies from S3; an upload here is kept in S3 before it is
 * queued; each body leaves S3 when its job ends.
 */
@QuarkusTest
@TestProfile(S3SpoolTest.InS3.class)
@WithTestResource(StrataTestStack.class)
class S3SpoolTest {

    static final String BUCKET = "strata-imports-test";

    public static class InS3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strata.ingest.imports.spool-store",
                    "s3",
                    "strata.ingest.imports.spool-bucket",
                    BUCKET,
                    "strata.ingest.imports.spool-directory",
                    Path.of(System.getProperty("java.io.tmpdir"), "strata-s3-spool-test-" + UUID.randomUUID())
                            .toString(),
                    "strata.ingest.imports.node",
                    "replica-b");
        }
    }

    @Test
    void shouldTakeOverTheJobsOfAReplicaThatIsGoneFromTheirBodiesInS3() {
        UUID group = newGroup("enterprise");
        S3Client s3 = TestS3.client();
        try {
            s3.headBucket(b -> b.bucket(BUCKET));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
        UUID running = UUID.randomUUID();
        String runningKey = "imports/" + running + ".ndjson";
        s3.putObject(b -> b.bucket(BUCKET).key(runningKey), RequestBody.fromString(users(0, 10)));
        UUID queued = UUID.randomUUID();
        String queuedKey = "imports/" + queued + ".ndjson";
        s3.putObject(b -> b.bucket(BUCKET).key(queuedKey), RequestBody.fromString(users(100, 7)));
        // replica-a received both (its disk is gone with it), committed the first 4 items of one and died; its lease
        // ran out an hour ago
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, processed, created, claim, worker, heartbeat_at, created_at, started_at)
                VALUES (?, ?, 'running', 'ndjson', 'draft', ?, 'replica-a', 1, 4, 4, ?, 'replica-a',
                        now() - interval '1 hour', now() - interval '2 hours', now() - interval '1 hour')""", running, group, "s3://" + BUCKET + "/" + runningKey, UUID.randomUUID());
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, created_at)
                VALUES (?, ?, 'queued', 'ndjson', 'draft', ?, 'replica-a', 1, now() - interval '2 hours')""", queued, group, "s3://" + BUCKET + "/" + queuedKey);

        for (UUID id : List.of(running, queued)) {
            assertThat(awaitEnd(group, id)).isEqualTo("succeeded");
        }
        assertThat(TestDatabase.rows("SELECT worker FROM ingest.import_jobs WHERE id IN (?, ?)", running, queued))
                .containsExactly(List.of("replica-b"), List.of("replica-b"));
        List<String> expected = IntStream.concat(IntStream.range(4, 10), IntStream.range(100, 107))
                .mapToObj(i -> "item " + i)
                .sorted()
                .toList();
        assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY name", group).stream()
                        .map(row -> (String) row.get(0))
                        .toList())
                .isEqualTo(expected);
        for (String key : List.of(runningKey, queuedKey)) {
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                    .as("%s is deleted once its job ended", key)
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void shouldKeepAnUploadInS3UntilItsJobEnds() throws IOException {
        UUID group = newGroup("enterprise");
        String id = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(users(0, 25).getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        String spoolPath =
                (String) TestDatabase.rows("SELECT spool_path FROM ingest.import_jobs WHERE id = ?::uuid", id)
                        .get(0)
                        .get(0);
        assertThat(spoolPath).isEqualTo("s3://" + BUCKET + "/imports/" + id + ".ndjson");
        assertThat(awaitEnd(group, UUID.fromString(id))).isEqualTo("succeeded");
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.things WHERE group_id = ?", group))
                .isEqualTo(25);
        assertThatThrownBy(
                        () -> TestS3.client().headObject(b -> b.bucket(BUCKET).key("imports/" + id + ".ndjson")))
                .isInstanceOf(NoSuchKeyException.class);
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("strata-s3-spool-test-"))
                            .flatMap(S3SpoolTest::list)
                            .filter(f -> f.getFileName().toString().contains(id))
                            .toList())
                    .as("no local copy is left")
                    .isEmpty();
        }
    }

    @Test
    void shouldFailAJobWhoseBodyIsNoLongerInS3() {
        UUID group = newGroup("enterprise");
        UUID gone = UUID.randomUUID();
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, created_at)
                VALUES (?, ?, 'queued', 'ndjson', 'draft', ?, 'replica-a', 1, now())""", gone, group, "s3://" + BUCKET + "/imports/" + gone + ".ndjson");

        assertThat(awaitEnd(group, gone)).isEqualTo("failed");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/imports/{id}", gone)
                .then()
                .body("error", containsString("no longer in s3://" + BUCKET))
                .body("processed", equalTo(0));
    }

    private static String awaitEnd(UUID group, UUID id) {
        String[] status = new String[1];
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    status[0] = given().auth()
                            .oauth2(TestTokens.forTenants(group))
                            .get("/imports/{id}", id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("status");
                    return status[0].equals("succeeded") || status[0].equals("failed");
                });
        return status[0];
    }

    private static java.util.stream.Stream<Path> list(Path directory) {
        try {
            return Files.isDirectory(directory)
                    ? Files.list(directory).toList().stream()
                    : java.util.stream.Stream.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
