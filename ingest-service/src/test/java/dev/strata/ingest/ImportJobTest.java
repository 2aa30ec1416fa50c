package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.things;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.model.events.EventType;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
@TestProfile(ImportJobTest.QuotaAndQuickRetries.class)
class ImportJobTest {

    /** The test profile's limits (application.properties). */
    private static final int CHUNK = 3000;

    private static final int MAX_BODY = 3_000_000;
    /** This class's profile: failures of unknown kind before a job is failed for good. */
    private static final int MAX_ATTEMPTS = 2;

    /**
     * Imports reserve their quota at the stand-in served by this very application (as in production, where they
     * reserve at quota-service), a job fails for good after two failures of unknown kind, and transient failures
     * are retried after 100 ms doubling to 400 ms.
     */
    public static class QuotaAndQuickRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return QuotaStandIn.servedHere(Map.of(
                    "strata.ingest.quota.enabled",
                    "true",
                    "strata.ingest.quota.unknown-group-wait",
                    "200ms",
                    "strata.ingest.imports.max-attempts",
                    Integer.toString(MAX_ATTEMPTS),
                    "strata.ingest.imports.retry-backoff",
                    "100ms",
                    "strata.ingest.imports.retry-max-backoff",
                    "400ms"));
        }
    }

    private static final Path SPOOL = Path.of(System.getProperty("java.io.tmpdir"), "strata-imports");

    private static EventStreamProbe stream;

    @BeforeAll
    static void openStream() {
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void closeStream() {
        stream.close();
    }

    @AfterEach
    void endOutages() {
        QuotaStandIn.OUTAGES.clear();
    }

    private static ExtractableResponse<Response> upload(UUID group, String contentType, String body, String query) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports" + query, group)
                .then()
                .extract();
    }

    private static ExtractableResponse<Response> awaitFinished(UUID group, String id) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String status = given().auth()
                            .oauth2(TestTokens.forTenants(group))
                            .get("/imports/{id}", id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("status");
                    return status.equals("succeeded") || status.equals("failed");
                });
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/imports/{id}", id)
                .then()
                .statusCode(200)
                .extract();
    }

    @Test
    void shouldImportTwentyThousandNdjsonLinesAndReportEachBadLineByItsNumber() throws IOException {
        UUID group = newGroup("enterprise");
        int lines = 20_000;
        // Across chunk borders (2999 | 3000), at both ends, and three kinds of fault.
        Set<Integer> bad = new TreeSet<>(List.of(0, 7, 2999, 3000, 3001, 9999, 15000, 17171, 19999));
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (!bad.contains(i)) {
                body.append("{\"type\":\"user\",\"name\":\"item ")
                        .append(i)
                        .append("\",\"properties\":{\"n\":")
                        .append(i)
                        .append("}}\n");
            } else if (i % 3 == 0) {
                body.append("{\"type\":\"spaceship\",\"name\":\"item ")
                        .append(i)
                        .append("\"}\n");
            } else if (i % 3 == 1) {
                body.append("{\"type\":\"user\",\"name\":\n");
            } else {
                body.append("{\"type\":\"user\",\"name\":\"  \"}\n");
            }
        }
        ExtractableResponse<Response> accepted = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(body.toString().getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports?defaultStatus=active", group)
                .then()
                .statusCode(202)
                .extract();
        String id = accepted.path("id");
        assertThat(accepted.header("Location")).endsWith("/imports/" + id);
        assertThat(accepted.<String>path("status")).isEqualTo("queued");
        assertThat(accepted.<String>path("location")).isEqualTo("/imports/" + id);

        ExtractableResponse<Response> job = awaitFinished(group, id);
        int good = lines - bad.size();
        assertThat(job.<String>path("status")).isEqualTo("succeeded");
        assertThat(job.<String>path("groupId")).isEqualTo(group.toString());
        assertThat(job.<String>path("format")).isEqualTo("ndjson");
        assertThat(job.<Integer>path("processed")).isEqualTo(lines);
        assertThat(job.<Integer>path("created")).isEqualTo(good);
        assertThat(job.<Integer>path("failed")).isEqualTo(bad.size());
        assertThat(job.<Float>path("percent")).isEqualTo(100f);
        assertThat(job.<List<Integer>>path("errors.index")).containsExactlyElementsOf(bad);
        assertThat(job.<String>path("errors[1].field")).isEqualTo("$"); // line 7: cut short
        assertThat(job.<String>path("errors[1].error")).startsWith("Line 8 is not valid JSON");
        assertThat(job.<String>path("errors[0].error")).isEqualTo("unknown thing type 'spaceship'");
        assertThat(job.<String>path("startedAt")).isNotNull();
        assertThat(job.<String>path("finishedAt")).isNotNull();

        assertThat(things(group)).isEqualTo(good);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.things WHERE group_id = ? AND status = 'active'"
                                + " AND name = 'item ' || (properties->>'n')",
                        group))
                .isEqualTo(good);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = ?"
                                + " AND metadata->>'importJobId' = ?",
                        group,
                        EventType.BATCH_IMPORT,
                        id))
                .isEqualTo((lines + CHUNK - 1) / CHUNK);
        assertThat(SPOOL.resolve("import-" + id + ".ndjson")).doesNotExist();
        assertThat(stream.await(group, EventStreamProbe.ofType(EventType.THING_CREATED), good, Duration.ofSeconds(120)))
                .hasSize(good);
    }

    @Test
    void shouldImportCsvRowsWithTheDefaultStatusAndReportBadRowsByRowNumber() {
        UUID group = newGroup("pro");
        String csv = "type,name,status,properties.price\r\n"
                + "product,\"Mug, large\",,12.5\r\n"
                + "product,Poster,published,3\r\n"
                + "\r\n"
                + "product,Broken,sold,1\r\n"
                + "spaceship,Nope,,\r\n"
                + "video,\"Line\nbreak\",,\r\n";
        ExtractableResponse<Response> accepted = upload(group, "text/csv", csv, "?defaultStatus=active");
        assertThat(accepted.statusCode()).isEqualTo(202);
        ExtractableResponse<Response> job = awaitFinished(group, accepted.path("id"));
        assertThat(job.<String>path("status")).isEqualTo("succeeded");
        assertThat(job.<Integer>path("processed")).isEqualTo(5);
        assertThat(job.<Integer>path("created")).isEqualTo(3);
        assertThat(job.<List<Integer>>path("errors.index")).containsExactly(2, 3);
        assertThat(job.<List<String>>path("errors.field")).containsExactly("status", "type");
        assertThat(TestDatabase.rows(
                        "SELECT name, status, properties::text FROM ingest.things WHERE group_id = ?" + " ORDER BY id",
                        group))
                .containsExactly(
                        List.of("Mug, large", "active", "{\"price\": 12.5}"),
                        List.of("Poster", "published", "{\"price\": 3}"),
                        List.of("Line\nbreak", "active", "{}"));
    }

    @Test
    void shouldRefuseACsvWhoseHeaderCannotBeReadAndAtomicImportsWithNothingQueued() {
        UUID group = newGroup("pro");
        ExtractableResponse<Response> header = upload(group, "text/csv", "kind,title\nuser,x\n", "");
        assertThat(header.statusCode()).isEqualTo(422);
        assertThat(header.contentType()).startsWith("application/problem+json");
        ExtractableResponse<Response> atomic =
                upload(group, "application/x-ndjson", "{\"type\":\"user\",\"name\":\"a\"}\n", "?atomic=true");
        assertThat(atomic.statusCode()).isEqualTo(400); // a query parameter the endpoint does not take
        assertThat(atomic.<String>path("errors[0].field")).isEqualTo("atomic");
        assertThat(upload(group, "application/x-ndjson", "", "").statusCode()).isEqualTo(400);
        assertThat(jobs(group)).isZero();
    }

    @Test
    void shouldAnswerARepeatedUploadWithItsFirstJobAndImportNothingTwice() throws Exception {
        UUID group = newGroup("enterprise");
        UUID other = newGroup("enterprise");
        String body = users(5_000);
        ExtractableResponse<Response> first = keyed(group, "upload-1", body, "?defaultStatus=active");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        String id = first.path("id");
        awaitFinished(group, id);
        Set<Path> spooledBefore = spooled();

        // The client lost the answer and sends the same upload again: the same job, finished, nothing imported twice.
        ExtractableResponse<Response> again = keyed(group, "upload-1", body, "?defaultStatus=active");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.<String>path("id")).isEqualTo(id);
        assertThat(again.<String>path("status")).isEqualTo("succeeded");
        assertThat(again.header("Location")).endsWith("/imports/" + id);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(jobs(group)).isEqualTo(1);
        assertEveryItemWrittenOnce(group, 5_000);
        assertThat(spooled()).isEqualTo(spooledBefore);

        // The same key for another file, or the same file with other options: 409, nothing queued.
        for (ExtractableResponse<Response> reused : List.of(
                keyed(group, "upload-1", users(4_999), ""), keyed(group, "upload-1", body, "?defaultStatus=draft"))) {
            assertThat(reused.statusCode()).isEqualTo(409);
            assertThat(reused.contentType()).startsWith("application/problem+json");
            assertThat(reused.<String>path("detail")).contains(id);
        }
        assertThat(jobs(group)).isEqualTo(1);

        // Keys are per group: another group's upload with the same key is its own job.
        ExtractableResponse<Response> elsewhere = keyed(other, "upload-1", body, "?defaultStatus=active");
        assertThat(elsewhere.statusCode()).isEqualTo(202);
        assertThat(elsewhere.<String>path("id")).isNotEqualTo(id);
        awaitFinished(other, elsewhere.path("id"));
        assertEveryItemWrittenOnce(other, 5_000);

        // Eight clients racing with one key: one job, every answer names it.
        UUID raced = newGroup("enterprise");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> keyed(raced, "raced", body, "")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(202);
                ids.add(answer.get().path("id"));
            }
            assertThat(ids).hasSize(1);
            awaitFinished(raced, ids.iterator().next());
        } finally {
            clients.shutdownNow();
        }
        assertThat(jobs(raced)).isEqualTo(1);
        assertEveryItemWrittenOnce(raced, 5_000);

        ExtractableResponse<Response> control = keyed(group, "x".repeat(256), body, "");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(jobs(group)).isEqualTo(1);
    }

    private static ExtractableResponse<Response> keyed(UUID group, String key, String body, String query) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports" + query, group)
                .then()
                .extract();
    }

    @Test
    void shouldShowTheJobToTenantsOfItsGroupOnly() {
        UUID group = newGroup("pro");
        UUID other = newGroup("pro");
        String id = upload(group, "application/x-ndjson", "{\"type\":\"user\",\"name\":\"a\"}\n", "")
                .path("id");
        awaitFinished(group, id);
        given().auth()
                .oauth2(TestTokens.forTenants(other))
                .get("/imports/{id}", id)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/forbidden"));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/imports/{id}", id)
                .then()
                .statusCode(200)
                .body("created", equalTo(1));
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/imports/{id}", UUID.randomUUID())
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/imports/{id}", "nope")
                .then()
                .statusCode(400);
        given().get("/imports/{id}", id).then().statusCode(401);
        given().auth()
                .oauth2(TestTokens.forTenants(other))
                .contentType("application/x-ndjson")
                .body("{\"type\":\"user\",\"name\":\"a\"}\n".getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(403);
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        UUID group = newGroup("pro");
        String line = "{\"type\":\"user\",\"name\":\"" + "x".repeat(200) + "\"}\n";
        byte[] body = line.repeat(MAX_BODY / line.length() + 20).getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(MAX_BODY);
        Set<Path> spooledBefore = spooled();

        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(body)
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("limit", equalTo("strata.ingest.imports.max-body-bytes"))
                .body("maximum", equalTo(MAX_BODY));

        // No Content-Length (chunked): refused while streaming to disk, once the limit is passed.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/groups/" + group + "/imports"))
                .header("Authorization", "Bearer " + TestTokens.forTenants(group))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body())
                .contains("strata.ingest.imports.max-body-bytes")
                .contains("The body is larger than the limit of " + MAX_BODY + " bytes.");

        assertThat(jobs(group)).isZero();
        assertThat(spooled()).isEqualTo(spooledBefore);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldResumeAnOrphanedJobAfterItsLastCommittedChunk() throws IOException {
        UUID group = newGroup("pro");
        Path file = Files.createTempFile("orphan-", ".ndjson");
        Files.writeString(
                file,
                IntStream.range(0, 10)
                        .mapToObj(i -> "{\"type\":\"user\",\"name\":\"n" + i + "\"}\n")
                        .collect(Collectors.joining()));
        UUID id = UUID.randomUUID();
        // As a replica that died after committing the first 4 items would have left it: running, lease expired.
        TestDatabase.update("""
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, processed, created, attempts, claim, worker, heartbeat_at, created_at, started_at)
                VALUES (?, ?, 'running', 'ndjson', 'draft', ?, 'test-node', ?, 4, 4, 1, ?, 'dead-replica',
                        now() - interval '1 hour', now(), now() - interval '1 hour')""", id, group, file.toString(), Files.size(file), UUID.randomUUID());

        ExtractableResponse<Response> job = awaitFinished(group, id.toString());
        assertThat(job.<String>path("status")).isEqualTo("succeeded");
        assertThat(job.<Integer>path("processed")).isEqualTo(10);
        assertThat(job.<Integer>path("created")).isEqualTo(10);
        assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY id", group))
                .containsExactly(
                        List.of("n4"), List.of("n5"), List.of("n6"), List.of("n7"), List.of("n8"), List.of("n9"));
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldWaitOutQuotaServiceGoingAwayMidImportAndWriteEveryItemOnce() {
        UUID group = newGroup("enterprise");
        int lines = 10_000;
        // Users reserve three metrics per chunk (entities_total, users, storage_gb): the first chunk gets its
        // three grants, the second one of its three, then quota-service is away until the test ends the outage.
        QuotaStandIn.OUTAGES.put(group, new AtomicInteger(4));
        String id = upload(group, "application/x-ndjson", users(lines), "").path("id");

        // Each try of the stuck chunk asks under a batch id of its own: more tries than max-attempts.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> QuotaStandIn.UNAVAILABLE.stream()
                                .filter(call -> call.group().equals(group))
                                .map(QuotaStandIn.Call::reference)
                                .distinct()
                                .count()
                        > MAX_ATTEMPTS + 2);
        ExtractableResponse<Response> waiting = job(group, id);
        assertThat(waiting.<String>path("status")).isEqualTo("running");
        assertThat(waiting.<Integer>path("processed")).isEqualTo(CHUNK);
        assertThat(waiting.<String>path("error"))
                .startsWith("Waiting to retry after a transient failure: The quota" + " for ")
                .contains("could not be checked");
        assertThat(attempts(id)).isZero();

        QuotaStandIn.OUTAGES.remove(group);
        ExtractableResponse<Response> job = awaitFinished(group, id);
        assertThat(job.<String>path("status")).isEqualTo("succeeded");
        assertThat(job.<Integer>path("processed")).isEqualTo(lines);
        assertThat(job.<Integer>path("created")).isEqualTo(lines);
        assertThat(job.<Integer>path("failed")).isZero();
        assertThat(job.<String>path("error")).isNull();
        assertThat(attempts(id)).isZero();
        assertEveryItemWrittenOnce(group, lines);
        assertThat(batchImports(group, id)).isEqualTo(4); // 3000 + 3000 + 3000 + 1000
        assertThat(stream.await(
                        group, EventStreamProbe.ofType(EventType.THING_CREATED), lines, Duration.ofSeconds(120)))
                .hasSize(lines);
    }

    @Test
    void shouldFailAJobThatQuotaRefusesMidWayNamingTheChunkAndWhatWasWrittenBeforeIt() throws IOException {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "entities_total", 7000);
        int lines = 10_000;
        // Lines 10 and 4000 are invalid, so chunks 0-2999 and 3000-5999 reserve 2999 things each (5998 in all);
        // chunk 6000-8999 asks for 3000 more, over the limit of 7000.
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            body.append("{\"type\":\"")
                    .append(i == 10 || i == 4000 ? "spaceship" : "user")
                    .append("\",\"name\":\"item ")
                    .append(i)
                    .append("\",\"properties\":{\"n\":")
                    .append(i)
                    .append("}}\n");
        }
        String id = upload(group, "application/x-ndjson", body.toString(), "").path("id");

        ExtractableResponse<Response> job = awaitFinished(group, id);
        assertThat(job.<String>path("status")).isEqualTo("failed");
        assertThat(job.<Integer>path("processed")).isEqualTo(6000);
        assertThat(job.<Integer>path("created")).isEqualTo(5998);
        assertThat(job.<Integer>path("failed")).isEqualTo(2);
        assertThat(job.<List<Integer>>path("errors.index")).containsExactly(10, 4000);
        assertThat(job.<String>path("error"))
                .startsWith("Quota refused the chunk of items 6000-8999 (numbered from"
                        + " 0) for entities_total (limit 7000, current 5998, requested 3000): over the limit.")
                .endsWith("5998 things were written from the 6000 items before it; nothing from item 6000 on was"
                        + " written.");
        assertThat(job.<String>path("finishedAt")).isNotNull();
        assertThat(things(group)).isEqualTo(5998);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.things WHERE group_id = ?"
                                + " AND (properties->>'n')::int < 6000 AND name = 'item ' || (properties->>'n')",
                        group))
                .isEqualTo(5998);
        assertThat(batchImports(group, id)).isEqualTo(2);
        assertThat(SPOOL.resolve("import-" + id + ".ndjson")).doesNotExist();
    }

    @Test
    void shouldFailAJobForGoodAfterMaxAttemptsFailuresOfUnknownKindOnly() {
        UUID group = newGroup("pro");
        // A failure that says nothing of its kind (not the database away, not a conflict): raised by a trigger.
        TestDatabase.update("""
                CREATE FUNCTION ingest.refuse_test_group() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.group_id = '%s' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                    RETURN NEW;
                END $$""".formatted(group));
        TestDatabase.update("CREATE TRIGGER refuse_test_group BEFORE INSERT ON ingest.things FOR EACH ROW"
                + " EXECUTE FUNCTION ingest.refuse_test_group()");
        try {
            String id = upload(group, "application/x-ndjson", users(10), "").path("id");
            ExtractableResponse<Response> job = awaitFinished(group, id);
            assertThat(job.<String>path("status")).isEqualTo("failed");
            assertThat(job.<String>path("error"))
                    .startsWith("Gave up after " + MAX_ATTEMPTS + " failed attempts;" + " the last failure: ")
                    .contains("refused by the test");
            assertThat(job.<Integer>path("processed")).isZero();
            assertThat(attempts(id)).isEqualTo(MAX_ATTEMPTS - 1); // handed back once, failed at the second
            assertThat(things(group)).isZero();
        } finally {
            TestDatabase.update("DROP TRIGGER refuse_test_group ON ingest.things");
            TestDatabase.update("DROP FUNCTION ingest.refuse_test_group()");
        }
    }

    @Test
    void shouldTakeOverAJobWhoseReplicaDiedAndCameBackUnderAnotherName() throws IOException {
        UUID group = newGroup("pro");
        UUID id = UUID.randomUUID();
        Files.createDirectories(SPOOL);
        Path file = SPOOL.resolve("import-" + id + ".ndjson");
        Files.writeString(file, users(10));
        // Received and run by "replica-before-restart", which died after 4 items and came back as this replica
        // ("test-node"): the spool file is on its disk, the lease has run out.
        insertRunningJob(id, group, file.toString(), "replica-before-restart", Instant.now(), Files.size(file));
        // An older job of a replica whose disk this one does not have: never this replica's to take.
        UUID elsewhere = UUID.randomUUID();
        insertRunningJob(
                elsewhere,
                group,
                "/nowhere/import-" + elsewhere + ".ndjson",
                "another-replica",
                Instant.now().minusSeconds(60),
                100);
        try {
            ExtractableResponse<Response> job = awaitFinished(group, id.toString());
            assertThat(job.<String>path("status")).isEqualTo("succeeded");
            assertThat(job.<Integer>path("processed")).isEqualTo(10);
            assertThat(job.<Integer>path("created")).isEqualTo(10);
            assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY id", group))
                    .containsExactly(
                            List.of("item 4"),
                            List.of("item 5"),
                            List.of("item 6"),
                            List.of("item 7"),
                            List.of("item 8"),
                            List.of("item 9"));
            assertThat(file).doesNotExist();
            assertThat(TestDatabase.rows("SELECT status, worker FROM ingest.import_jobs WHERE id = ?", elsewhere))
                    .containsExactly(List.of("running", "another-replica"));
        } finally {
            TestDatabase.update("DELETE FROM ingest.import_jobs WHERE id = ?", elsewhere);
        }
    }

    /** A job as a replica that died after committing its first 4 items leaves it: running, lease long expired. */
    private static void insertRunningJob(
            UUID id, UUID group, String spoolPath, String node, Instant createdAt, long bytes) {
        TestDatabase.update(
                """
                INSERT INTO ingest.import_jobs (id, group_id, status, format, default_status, spool_path, spool_node,
                    bytes, processed, created, claim, worker, heartbeat_at, created_at, started_at)
                VALUES (?, ?, 'running', 'ndjson', 'draft', ?, ?, ?, 4, 4, ?, ?, now() - interval '1 hour', ?,
                        now() - interval '1 hour')""", id, group, spoolPath, node, bytes, UUID.randomUUID(), node, java.sql.Timestamp.from(createdAt));
    }

    /** Lines {"type":"user","name":"item i","properties":{"n":i}} for i from 0. */
    private static String users(int lines) {
        return IntStream.range(0, lines)
                .mapToObj(i -> "{\"type\":\"user\",\"name\":\"item " + i + "\",\"properties\":{\"n\":" + i + "}}\n")
                .collect(Collectors.joining());
    }

    /** Items 0 to lines - 1 of {@link #users}, each exactly once. */
    private static void assertEveryItemWrittenOnce(UUID group, int lines) {
        assertThat(things(group)).isEqualTo(lines);
        assertThat(TestDatabase.scalar("SELECT count(DISTINCT id) FROM ingest.things WHERE group_id = ?", group))
                .isEqualTo(lines);
        assertThat(TestDatabase.scalar(
                        "SELECT count(DISTINCT (properties->>'n')::int) FROM ingest.things"
                                + " WHERE group_id = ? AND name = 'item ' || (properties->>'n')",
                        group))
                .isEqualTo(lines);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.things WHERE group_id = ?"
                                + " AND (properties->>'n')::int BETWEEN 0 AND ?",
                        group,
                        lines - 1))
                .isEqualTo(lines);
    }

    private static ExtractableResponse<Response> job(UUID group, String id) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/imports/{id}", id)
                .then()
                .statusCode(200)
                .extract();
    }

    private static long attempts(String id) {
        return TestDatabase.scalar("SELECT attempts FROM ingest.import_jobs WHERE id = ?", UUID.fromString(id));
    }

    private static long batchImports(UUID group, String id) {
        return TestDatabase.scalar(
                "SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = ?"
                        + " AND metadata->>'importJobId' = ?",
                group,
                EventType.BATCH_IMPORT,
                id);
    }

    private static long jobs(UUID group) {
        return TestDatabase.scalar("SELECT count(*) FROM ingest.import_jobs WHERE group_id = ?", group);
    }

    private static Set<Path> spooled() throws IOException {
        if (!Files.isDirectory(SPOOL)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(SPOOL)) {
            return files.collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
