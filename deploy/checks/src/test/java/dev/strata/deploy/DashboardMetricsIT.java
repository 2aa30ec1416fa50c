package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.testing.PackagedStack;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The dashboard against what is shipped: the four PACKAGED services on the real PostgreSQL, Kafka and S3 of the
 * test JVM are given a little real traffic (a group, a things batch, connections, events of which two are a year
 * old, knowledge, an import job, a reservation granted and one refused, an archival run that archives the old
 * events), then each one's {@code /q/metrics} is read: every metric a panel or variable of
 * deploy/grafana/strata-operations.json queries must be exposed by at least one service. A renamed meter, or a
 * panel querying a name no service has, fails here. The traffic is also seen in the figures: the counters moved and
 * the gauges that a scheduled job reads hold numbers.
 */
class DashboardMetricsIT {

    static final Path WORK = Path.of("target", "dashboard-metrics").toAbsolutePath();
    static final String HEAP = "384m";
    static final Duration EVENTUALLY = Duration.ofSeconds(120);
    /** Counters of the stream consumers' beans, which the messaging connector creates with the first record. */
    static final Set<String> REGISTERED_WITH_THE_FIRST_RECORD =
            Set.of("strata_quota_events_applied_total", "strata_projection_events_applied_total");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldExposeEveryMetricTheDashboardQueriesOnAtLeastOneService() throws IOException {
        Map<String, String> queried = Dashboard.metrics(Dashboard.json());
        assertThat(queried).isNotEmpty();
        TestEndpoints servers = TestServers.ensureStarted();
        PackagedStack stack = new PackagedStack(servers, WORK, HEAP)
                // The run this test starts is the only one.
                .with("archival", "strata.archival.schedule.enabled", "false")
                .with("archival", "strata.archival.plan-retention.enabled", "false");
        assumeTrue(
                stack.missingJars().isEmpty(),
                () -> "DashboardMetricsIT needs the four packaged services, and "
                        + stack.missingJars() + " is missing: run it through the reactor (mvn -B verify, or "
                        + "mvn -B -pl deploy/checks -am verify), which packages them first");
        try (PackagedStack services = stack.start()) {
            // Strata's meters exist from start (counters at zero, gauges NaN until read), so that rates and panels
            // work before the first write; Quarkus' HTTP meters come with the first requests, the consumers' with
            // their first record.
            Map<String, String> missingAtStart = missing(queried, exposed(services, "at-start"));
            missingAtStart
                    .keySet()
                    .removeIf(metric ->
                            !metric.startsWith("strata_") || REGISTERED_WITH_THE_FIRST_RECORD.contains(metric));
            assertThat(missingAtStart)
                    .as("Strata metrics %s queries that no service exposes right after start", Dashboard.FILE)
                    .isEmpty();

            drive(services);

            awaitFigure(services, "ingest", "strata_ingest_rows_total", "kind=\"things\"", 5);
            awaitFigure(services, "ingest", "strata_ingest_rows_total", "kind=\"connections\"", 2);
            awaitFigure(services, "ingest", "strata_ingest_rows_total", "kind=\"events\"", 4);
            awaitFigure(services, "ingest", "strata_ingest_rows_total", "kind=\"knowledge\"", 1);
            awaitFigure(services, "quota", "strata_quota_reservations_total", "outcome=\"granted\"", 1);
            awaitFigure(services, "quota", "strata_quota_reservations_total", "outcome=\"refused\"", 1);
            awaitFigure(services, "archival", "strata_archival_objects_total", "kind=\"events\"", 1);
            awaitFigure(services, "archival", "strata_archival_events_archived_total", "", 2);
            for (String service : PackagedStack.SERVICES) {
                awaitFigure(services, service, "strata_outbox_backlog", "", 0);
                awaitFigure(services, service, "strata_outbox_lag_seconds", "", 0);
            }
            for (String consumer : List.of("quota", "metrics")) {
                awaitFigure(services, consumer, "strata_stream_lag_records", "", 0);
                awaitFigure(services, consumer, "strata_stream_quarantine_open", "", 0);
            }
            awaitFigure(services, "quota", "strata_quota_reservations_open", "status=\"open\"", 0);

            assertThat(missing(queried, exposed(services, "after-traffic")))
                    .as(
                            "metrics %s queries that no service" + " exposes (metric=first query that reads it)",
                            Dashboard.FILE)
                    .isEmpty();
        }
    }

    /** Each service's metric names; the expositions are kept in target/dashboard-metrics/<service>.<when>.txt. */
    private static Map<String, Set<String>> exposed(PackagedStack stack, String when) throws IOException {
        Map<String, Set<String>> exposed = new LinkedHashMap<>();
        for (String service : PackagedStack.SERVICES) {
            String exposition = scrape(stack, service);
            Files.writeString(WORK.resolve(service + "." + when + ".txt"), exposition);
            exposed.put(service, Dashboard.exposed(exposition));
        }
        return exposed;
    }

    /** The queried metrics (metric to the first query that reads it) that no service exposes. */
    private static Map<String, String> missing(Map<String, String> queried, Map<String, Set<String>> exposed) {
        Map<String, String> missing = new TreeMap<>();
        queried.forEach((metric, where) -> {
            if (exposed.values().stream().noneMatch(names -> names.contains(metric))) {
                missing.put(metric, where);
            }
        });
        return missing;
    }

    /** What an operator's first hour sees: every kind of write, reservations both ways, an archival run. */
    private static void drive(PackagedStack stack) {
        // ingest asks quota-service for the plans: right after start-up on a busy machine that may answer 503.
        AtomicReference<String> group = new AtomicReference<>();
        await(
                "group created",
                () -> group.set(given(stack, "ingest", TestTokens.admin())
                        .body(Map.of("name", "dashboard-metrics", "plan", "starter"))
                        .post("/groups")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id")));
        UUID groupId = UUID.fromString(group.get());
        String token = TestTokens.forTenants(groupId);

        List<String> things = batch(
                stack,
                token,
                groupId,
                "things",
                "{\"items\":[{\"type\":\"creator\",\"name\":\"creator\"},{\"type\":\"user\",\"name\":\"user\"},"
                        + "{\"type\":\"video\",\"name\":\"video\"}]}");
        String creator = things.get(0);
        String user = things.get(1);
        String video = things.get(2);
        batch(
                stack,
                token,
                groupId,
                "connections",
                "{\"items\":[{\"fromThingId\":\"" + creator + "\",\"toThingId\":\"" + video
                        + "\",\"relationshipType\":\"authored\"},{\"fromThingId\":\"" + user + "\",\"toThingId\":\""
                        + creator + "\",\"relationshipType\":\"following\"}]}");
        // Two events of now, two of a year ago: the archival run below takes the old ones.
        String yearAgo = Instant.now()
                .minus(400, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        batch(
                stack,
                token,
                groupId,
                "events",
                "{\"items\":[{\"type\":\"revenue_generated\",\"actorId\":\"" + creator
                        + "\",\"metadata\":{\"amount\":10,\"currency\":\"EUR\"}},{\"type\":\"content_event\","
                        + "\"actorId\":\"" + user + "\",\"targetId\":\"" + video + "\",\"metadata\":{\"action\":"
                        + "\"viewed\"}},{\"type\":\"content_event\",\"actorId\":\"" + user + "\",\"targetId\":\""
                        + video + "\",\"timestamp\":\"" + yearAgo + "\",\"metadata\":{\"action\":\"liked\"}},"
                        + "{\"type\":\"user_login\",\"actorId\":\"" + user + "\",\"timestamp\":\"" + yearAgo + "\"}]}");
        batch(
                stack,
                token,
                groupId,
                "knowledge",
                "{\"items\":[{\"sourceThingId\":\"" + creator + "\",\"kind\":\"label\",\"text\":\"bio\"}]}");

        String job = given(stack, "ingest", token)
                .contentType("application/x-ndjson")
                .body("{\"type\":\"course\",\"name\":\"imported 1\"}\n{\"type\":\"lesson\",\"name\":\"imported 2\"}\n"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", groupId)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await(
                "import job " + job + " succeeded",
                () -> given(stack, "ingest", token)
                        .get("/imports/{id}", job)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("succeeded"))
                        .body("created", equalTo(2)));

        // Starter allows 100 entities: one more fits, a thousand do not.
        await(
                "quota-service knows group " + groupId,
                () -> given(stack, "quota", token)
                        .body(Map.of("metric", "entities_total", "amount", 1, "reference", "dashboard-granted"))
                        .post("/groups/{g}/quotas/reservations", groupId)
                        .then()
                        .statusCode(201));
        given(stack, "quota", token)
                .body(Map.of("metric", "entities_total", "amount", 1000, "reference", "dashboard-refused"))
                .post("/groups/{g}/quotas/reservations", groupId)
                .then()
                .statusCode(409);

        String run = given(stack, "archival", TestTokens.admin())
                .queryParam("daysCutoff", 30)
                .post("/groups/{g}/archival", groupId)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await(
                "archival run " + run + " finished",
                () -> given(stack, "archival", TestTokens.admin())
                        .get("/archival/runs/{id}", run)
                        .then()
                        .statusCode(200)
                        .body("status", not(equalTo("running"))));
    }

    /** A batch, sent again with its Idempotency-Key while quota-service is not ready for ingest's reservation. */
    private static List<String> batch(PackagedStack stack, String token, UUID group, String kind, String body) {
        String key = UUID.randomUUID().toString();
        AtomicReference<List<String>> created = new AtomicReference<>();
        await(kind + " batch written", () -> {
            ExtractableResponse<Response> response = given(stack, "ingest", token)
                    .header("Idempotency-Key", key)
                    .body(body)
                    .post("/groups/{g}/" + kind + ":batch", group)
                    .then()
                    .extract();
            assertThat(response.statusCode())
                    .as("%s batch: %s", kind, response.asString())
                    .isEqualTo(200);
            created.set(response.path("created"));
        });
        return created.get();
    }

    /**
     * Waits until {@code service} exposes {@code metric} (the series whose labels contain {@code labels}, summed)
     * as a number of at least {@code atLeast}: a counter that moved, or a gauge its job has read (NaN before).
     */
    private static void awaitFigure(PackagedStack stack, String service, String metric, String labels, double atLeast) {
        await(service + " " + metric + "{" + labels + "} >= " + atLeast, () -> {
            Double value = figure(scrape(stack, service), metric, labels);
            assertThat(value).as("%s on %s", metric, service).isNotNull();
            assertThat(value)
                    .as("%s{%s} on %s", metric, labels, service)
                    .isNotNaN()
                    .isGreaterThanOrEqualTo(atLeast);
        });
    }

    /** The sum of the samples of {@code metric} whose labels contain {@code labels}; null when there is none. */
    static Double figure(String exposition, String metric, String labels) {
        Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{([^}]*)})?\\s+(\\S+)")
                .matcher(exposition);
        Double sum = null;
        while (samples.find()) {
            if (labels.isEmpty() || samples.group(1) != null && samples.group(1).contains(labels)) {
                double value = Double.parseDouble(samples.group(2));
                sum = sum == null ? value : sum + value;
            }
        }
        return sum;
    }

    private static String scrape(PackagedStack stack, String service) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(stack.base(service) + "/q/metrics"))
                            .header("Accept", "text/plain")
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s /q/metrics", service).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(service + " /q/metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static RequestSpecification given(PackagedStack stack, String service, String token) {
        return RestAssured.given()
                .baseUri(stack.base(service))
                .auth()
                .oauth2(token)
                .contentType("application/json");
    }

    private static void await(String what, org.awaitility.core.ThrowingRunnable assertion) {
        Awaitility.await(what)
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(assertion);
    }
}
