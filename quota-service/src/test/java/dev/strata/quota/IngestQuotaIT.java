package dev.strata.quota;

import dev.strata.local.FreePorts;
import dev.strata.testing.PackagedService;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real pair (issue 4): the PACKAGED ingest-service reserving quota at the PACKAGED quota-service, both
 * processes of their own on the test JVM's Kafka and database (each in its own schema). A batch over the starter
 * plan's limit is refused whole with quota-service's {@code quota-exceeded} members and writes nothing; a batch
 * that fits is written, its reservation settles when quota-service consumes its {@code batch_import}, and the
 * counter it leaves makes the next thing over the limit. People-like things are held to {@code users} the same way.
 */
class IngestQuotaIT {

    static final Duration EVENTUALLY = Duration.ofSeconds(60);
    static final String QUOTA_EXCEEDED = "https://strata.dev/problems/quota-exceeded";
    static final Path LOGS = Path.of("target", "ingest-quota");

    /** Set by failsafe (pom); the root build packages ingest-service before quota-service. */
    static final Path INGEST_APP = Path.of(System.getProperty("ingest.app",
            "../ingest-service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize();
    static final Path QUOTA_APP = Path.of(System.getProperty("quota.app",
            "target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize();

    private PackagedService quota;
    private PackagedService ingest;

    @Test
    void shouldRefuseAnOverLimitBatchWholeAndWriteNothing() throws Throwable {
        assumeTrue(Files.isRegularFile(INGEST_APP), () -> "IngestQuotaIT needs the packaged ingest-service, and "
                + INGEST_APP + " is missing: package it first (mvn -B package -DskipTests -pl ingest-service, or a "
                + "root build, which packages ingest-service before quota-service)");
        assumeTrue(Files.isRegularFile(QUOTA_APP), () -> "IngestQuotaIT needs the packaged quota-service, and "
                + QUOTA_APP + " is missing: run it through mvn verify");
        TestEndpoints servers = TestServers.ensureStarted();
        String serviceToken = TestTokens.service();
        int quotaPort = FreePorts.next();
        int ingestPort = FreePorts.next();
        while (ingestPort == quotaPort) {
            ingestPort = FreePorts.next();
        }
        try {
            // Both at once: their Flyway migrations touch different schemas, and topic creation tolerates a race.
            quota = PackagedService.start("quota", QUOTA_APP, quotaPort, servers, "256m", Map.of(
                            "quarkus.rest-client.ingest.url", "http://127.0.0.1:" + ingestPort,
                            // should this member be left behind in the consumer group, it is gone after 6 s
                            "mp.messaging.incoming.events-in.session.timeout.ms", "6000",
                            "mp.messaging.incoming.events-in.heartbeat.interval.ms", "1000"),
                    Map.of("STRATA_SERVICE_TOKEN", serviceToken), LOGS);
            ingest = PackagedService.start("ingest", INGEST_APP, ingestPort, servers, "256m", Map.of(
                            "quarkus.rest-client.quota.url", quota.base()),
                    // strata.service-token, from the environment as in production (not on the command line)
                    Map.of("STRATA_SERVICE_TOKEN", serviceToken), LOGS);
            quota.awaitReady();
            ingest.awaitReady();

            refusesEntitiesOverTheLimitWholeThenFillsUpToIt();
            refusesUsersOverTheLimitWhole();
        } catch (Throwable failure) {
            for (PackagedService service : new PackagedService[] {quota, ingest}) {
                if (service != null) {
                    System.err.printf("----- %s (pid %d, port %d): last lines of %s -----%n%s%n", service.name(),
                            service.pid(), service.port(), service.log(), service.logTail(8_000));
                }
            }
            throw failure;
        } finally {
            for (PackagedService service : new PackagedService[] {ingest, quota}) {
                if (service != null) {
                    // SIGTERM first, so quota's consumer leaves its group; SIGKILL if it has not stopped in 10 s
                    service.stop(Duration.ofSeconds(10));
                }
            }
        }
    }

    /** entities_total: starter allows 100. */
    private void refusesEntitiesOverTheLimitWholeThenFillsUpToIt() {
        UUID group = createStarterGroup("entities");

        refused(postThings(group, things("video", 101)), "entities_total")
                .body("current", equalTo(0))
                .body("reserved", equalTo(0))
                .body("limit", equalTo(100))
                .body("requested", equalTo(101))
                .body("upgrade", equalTo("pro"));
        assertWroteNothing(group);
        assertThat(openReservations(group)).as("open reservations after the refusal").isZero();

        String batchId = postThings(group, things("video", 100)).statusCode(200)
                .body("created", hasSize(100))
                .body("failed", equalTo(0))
                .extract().path("batchId");
        assertThat(thingRows(group)).isEqualTo(100);
        assertThat(batchImports(group)).isEqualTo(1);

        // The batch's items precede its batch_import on the group's partition: once the reservation has settled,
        // the counter holds all 100 and nothing is reserved on top of them.
        await("quota counted the batch and settled its reservation", () -> {
            quotas(group).body("quotas.entities_total.current", equalTo(100))
                    .body("quotas.entities_total.limit", equalTo(100));
            assertThat(TestDatabase.rows("SELECT status FROM quota.reservations"
                            + " WHERE group_id = ? AND metric = 'entities_total' AND reference = ?", group, batchId))
                    .containsExactly(List.of("settled"));
            assertThat(openReservations(group)).isZero();
        });

        refused(postThings(group, things("video", 1)), "entities_total")
                .body("current", equalTo(100))
                .body("reserved", equalTo(0))
                .body("limit", equalTo(100))
                .body("requested", equalTo(1));
        assertThat(thingRows(group)).isEqualTo(100);
        assertThat(batchImports(group)).isEqualTo(1);
        assertThat(openReservations(group)).isZero();
    }

    /** users (people-like things): starter allows 5; entities_total and storage_gb, granted first, are given back. */
    private void refusesUsersOverTheLimitWhole() {
        UUID group = createStarterGroup("users");

        refused(postThings(group, things("user", 6)), "users")
                .body("current", equalTo(0))
                .body("reserved", equalTo(0))
                .body("limit", equalTo(5))
                .body("requested", equalTo(6))
                .body("upgrade", equalTo("pro"));
        assertWroteNothing(group);
        // metrics are reserved in name order: entities_total and storage_gb were granted before users was refused
        assertThat(TestDatabase.rows("SELECT metric, status FROM quota.reservations WHERE group_id = ?", group))
                .containsExactlyInAnyOrder(List.of("entities_total", "released"), List.of("storage_gb", "released"));
    }

    /** POST /groups on ingest as admin, then waits until quota-service has consumed its group_created. */
    private UUID createStarterGroup(String name) {
        String id = RestAssured.given().baseUri(ingest.base()).auth().oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"name\":\"ingest-quota-" + name + "\",\"plan\":\"starter\"}")
                .post("/groups").then().statusCode(201)
                .body("plan", equalTo("starter"))
                .extract().path("id");
        UUID group = UUID.fromString(id);
        await("quota-service knows group " + group, () -> quotas(group).body("plan", equalTo("starter")));
        return group;
    }

    private ValidatableResponse postThings(UUID group, String body) {
        return RestAssured.given().baseUri(ingest.base()).auth().oauth2(TestTokens.forTenants(group))
                .contentType("application/json").body(body)
                .post("/groups/{g}/things:batch", group).then();
    }

    private static ValidatableResponse refused(ValidatableResponse response, String metric) {
        return response.statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(QUOTA_EXCEEDED))
                .body("status", equalTo(409))
                .body("metric", equalTo(metric));
    }

    private ValidatableResponse quotas(UUID group) {
        return RestAssured.given().baseUri(quota.base()).auth().oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/quotas", group).then().statusCode(200);
    }

    /** {@code n} things of one type, each with a small properties object (so storage is reserved too). */
    private static String things(String type, int n) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"name\":\"")
                    .append(type).append('-').append(i).append("\",\"properties\":{\"n\":").append(i).append("}}");
        }
        return body.append("]}").toString();
    }

    private static void assertWroteNothing(UUID group) {
        assertThat(thingRows(group)).as("things of the refused batch").isZero();
        assertThat(batchImports(group)).as("batch_import entries of the refused batch").isZero();
    }

    private static long thingRows(UUID group) {
        return TestDatabase.scalar("SELECT count(*) FROM ingest.things WHERE group_id = ?", group);
    }

    private static long batchImports(UUID group) {
        return TestDatabase.scalar("SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = 'batch_import'",
                group);
    }

    private static long openReservations(UUID group) {
        return TestDatabase.scalar("SELECT count(*) FROM quota.reservations WHERE group_id = ? AND status = 'open'",
                group);
    }

    private static void await(String what, ThrowingRunnable assertion) {
        Awaitility.await(what).atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
    }
}
