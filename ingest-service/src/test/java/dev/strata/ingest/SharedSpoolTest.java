package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.users;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * With the spool directory on a volume every replica mounts ({@code shared-spool=true}, as the README tells), a job
 * whose replica is gone for good is taken over by another: one left running by a replica that died mid-way (lease run
 * out) resumes after its last committed chunk here, one a dead replica received but never started is run here, each
 * item written once. (On a shared volume the spool file is also in this replica's directory, which alone lets it
 * take the job; {@code shared-spool} lets it take any job without looking.)
 */
@QuarkusTest
@TestProfile(SharedSpoolTest.Shared.class)
@WithTestResource(StrataTestStack.class)
class SharedSpoolTest {

    static final Path SHARED = Path.of(System.getProperty("java.io.tmpdir"), "strata-shared-spool-test");

    public static class Shared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strata.ingest.imports.shared-spool",
                    "true",
                    "strata.ingest.imports.spool-directory",
                    SHARED.toString(),
                    "strata.ingest.imports.node",
                    "replica-b");
        }
    }

    @Test
    void shouldTakeOverTheJobsOfAReplicaThatIsGone() throws IOException {
        UUID group = newGroup("enterprise");
        Files.createDirectories(SHARED);
        UUID running = UUID.randomUUID();
        Path runningFile = SHARED.resolve("import-" + running + ".ndjson");
        Files.writeString(runningFile, users(0, 10));
        UUID queued = UUID.randomUUID();
        Path queuedFile = SHARED.resolve("import-" + queued + ".ndjson");
        Files.writeString(queuedFile, users(100, 7));
        // replica-a received both, committed the first 4 items of one and died; its lease ran out an hour ago
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, processed, created, claim, worker, heartbeat_at, created_at, started_at)
                VALUES (?, ?, 'running', 'ndjson', 'draft', ?, 'replica-a', ?, 4, 4, ?, 'replica-a',
                        now() - interval '1 hour', now() - interval '2 hours', now() - interval '1 hour')""", running, group, runningFile.toString(), Files.size(runningFile), UUID.randomUUID());
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, created_at)
                VALUES (?, ?, 'queued', 'ndjson', 'draft', ?, 'replica-a', ?, now() - interval '2 hours')""", queued, group, queuedFile.toString(), Files.size(queuedFile));
        for (UUID id : List.of(running, queued)) {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "succeeded"
                            .equals(given().auth()
                                    .oauth2(TestTokens.forTenants(group))
                                    .get("/imports/{id}", id)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .path("status")));
        }
        assertThat(TestDatabase.rows("SELECT worker FROM ingest.import_jobs WHERE id IN (?, ?)", running, queued))
                .containsExactly(List.of("replica-b"), List.of("replica-b"));
        // items 4-9 of the first file (0-3 were written by replica-a before it died) and all 7 of the second
        List<String> expected = IntStream.concat(IntStream.range(4, 10), IntStream.range(100, 107))
                .mapToObj(i -> "item " + i)
                .sorted()
                .toList();
        assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY name", group).stream()
                        .map(row -> (String) row.get(0))
                        .toList())
                .isEqualTo(expected);
        assertThat(runningFile).doesNotExist();
        assertThat(queuedFile).doesNotExist();
    }
}
