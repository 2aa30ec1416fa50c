package dev.strata.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.testing.PackagedService;
import dev.strata.testing.PackagedStack;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (headless Chromium) against the PACKAGED console and the four packaged services on
 * the test JVM's PostgreSQL, Kafka and S3 (issue 17): its gauges, charts and tables show the APIs' own figures
 * (exposed as data attributes) and the figures this test put in; an import's progress bar advances while the job
 * runs; a tenant sees nothing of another tenant's group; an admin sees the groups nearest their limits, consumer
 * lag and quarantined records. Screenshots go to {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final Path WORK = Path.of("target", "console-it").toAbsolutePath();
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("screenshots", "target/screenshots")).toAbsolutePath();
    private static final Duration EVENTUALLY = Duration.ofSeconds(90);

    /** What the test puts into the shown group, so that the expected figures do not come from Strata. */
    private static final int CREATORS = 3;

    private static final int FANS = 6;
    private static final int VIDEOS = 4;
    private static final int VIEWS = 7;
    private static final int LOGINS = 3;
    /** Logins 400 days old: past the archival cut-off of 365 days, so one run archives exactly these. */
    private static final int OLD_LOGINS = 5;

    private static PackagedStack stack;
    private static PackagedService console;
    private static Browser browser;

    private static UUID shown;
    private static UUID other;
    private static UUID nearLimit;
    private static String otherSecret;
    /** Person id -> followers given to it: creators 3, 2 and 1, fans none (people are ranked, fans too). */
    private static final Map<String, Integer> followers = new LinkedHashMap<>();

    @BeforeAll
    static void startEverything() throws IOException {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!Browser.installed()) {
            String why = "ConsoleIT needs " + Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER
                    + " (Debian's chromium and chromium-driver; .ci/run installs them)";
            if (ci) {
                throw new IllegalStateException(why);
            }
            assumeTrue(false, why);
        }
        TestEndpoints servers = TestServers.ensureStarted();
        stack = new PackagedStack(servers, WORK, "384m").with("archival", "strata.archival.schedule.enabled", "false");
        Path consoleJar = PackagedStack.jar("console");
        assumeTrue(
                stack.missingJars().isEmpty() && Files.isRegularFile(consoleJar),
                () -> "ConsoleIT needs the "
                        + "packaged console and services (" + stack.missingJars() + " " + consoleJar
                        + "): run it through "
                        + "the reactor (mvn -B verify, or mvn -B -pl console -am verify)");
        stack.start();
        Map<String, String> gateway = new LinkedHashMap<>();
        for (String service : PackagedStack.SERVICES) {
            gateway.put("strata.console.services." + service, stack.base(service));
        }
        console = stack.launchExtra("console", consoleJar, gateway);
        populate();
        browser = Browser.start(SCREENSHOTS);
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    // ---- the tests -------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void shouldShowTheGroupsQuotasChartsAndTablesWithTheApisFigures() {
        String token = TestTokens.forTenants(shown);
        signIn(token);
        browser.open(console.base() + "/#/groups/" + shown);
        browser.await("#group-view[data-loaded='true']", EVENTUALLY);
        browser.screenshot("console-group");

        // Gauges: one per metric, each with the API's figures and status.
        JsonPath quotas = api("quota", token)
                .get("/groups/{g}/quotas", shown)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> metrics = quotas.getMap("quotas");
        List<WebElement> gauges = browser.findAll("#quotas .gauge");
        assertThat(gauges)
                .extracting(g -> g.getAttribute("data-metric"))
                .containsExactlyInAnyOrderElementsOf(metrics.keySet());
        for (WebElement gauge : gauges) {
            String metric = gauge.getAttribute("data-metric");
            String apiText = quotas.getString("quotas." + metric + ".current");
            if (apiText == null) {
                // A plan setting (events_retention_days) has a limit and no usage: none shown either.
                assertThat(gauge.getAttribute("data-current")).as(metric).isNull();
            } else if (metric.equals("api_calls_per_month")) {
                // Every call counts, the test's own to the API after the page's: never fewer shown than there were.
                assertThat(number(gauge.getAttribute("data-current")))
                        .as(metric)
                        .isPositive()
                        .isLessThanOrEqualTo(number(apiText));
            } else {
                assertThat(number(gauge.getAttribute("data-current")))
                        .as(metric)
                        .isEqualTo(number(apiText));
            }
            assertThat(gauge.getAttribute("data-limit"))
                    .as(metric)
                    .isEqualTo(text(quotas.getString("quotas." + metric + ".limit")));
            assertThat(gauge.getAttribute("data-status"))
                    .as(metric)
                    .isEqualTo(quotas.getString("quotas." + metric + ".status"));
        }
        // ... and the figures this test put in: every thing it created counts.
        int things = CREATORS + FANS + VIDEOS;
        assertThat(number(browser.find("#quotas .gauge[data-metric='entities_total']")
                        .getAttribute("data-current")))
                .isEqualTo(things);
        assertThat(browser.find("#quotas .gauge[data-metric='entities_total']").getAttribute("data-status"))
                .isEqualTo("unlimited");

        // Events by type over the last 30 days: the API's totals per type, which are the events this test sent.
        // (api_call events, metering's own, keep arriving while the test reads: compared for presence only.)
        JsonPath timeline = api("metrics", token)
                .get("/groups/{g}/metrics/events?days=30", shown)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        WebElement events = browser.find("#events");
        Map<String, Integer> pageTotals =
                JsonPath.from(events.getAttribute("data-totals")).getMap("", String.class, Integer.class);
        for (String type : List.of("content_event", "user_login")) {
            long apiTotal = timeline.getList("days.byType." + type, Number.class).stream()
                    .mapToLong(Number::longValue)
                    .sum();
            assertThat(pageTotals.get(type).longValue()).as(type).isEqualTo(apiTotal);
        }
        assertThat(pageTotals).containsEntry("content_event", VIEWS).containsEntry("user_login", LOGINS);
        assertThat(Long.parseLong(events.getAttribute("data-total")))
                .isEqualTo(pageTotals.values().stream()
                        .mapToLong(Integer::longValue)
                        .sum());

        // Daily usage: the chart's points are the history's values.
        WebElement history = browser.find("#history");
        String metric = history.getAttribute("data-metric");
        List<Number> values = api("quota", token)
                .get("/groups/{g}/quotas/history?metric={m}&days=30", shown, metric)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("days.value", Number.class);
        assertThat(JsonPath.from(history.getAttribute("data-values")).getList("", Number.class))
                .extracting(Number::longValue)
                .containsExactlyElementsOf(
                        values.stream().map(Number::longValue).toList());

        // Top creators: the API's order and figures, which are the followers this test gave.
        List<Map<String, Object>> creators = api("metrics", token)
                .get("/groups/{g}/metrics/creators?limit=10", shown)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("creators");
        List<WebElement> rows = browser.findAll("#top-creators tbody tr[data-creator-id]");
        assertThat(rows)
                .extracting(r -> r.getAttribute("data-creator-id"))
                .containsExactlyElementsOf(
                        creators.stream().map(c -> (String) c.get("creatorId")).toList());
        Map<String, Integer> shownFollowers = rows.stream()
                .collect(Collectors.toMap(
                        r -> r.getAttribute("data-creator-id"),
                        r -> Integer.parseInt(r.getAttribute("data-followers"))));
        assertThat(shownFollowers).containsExactlyInAnyOrderEntriesOf(followers);

        // Top content: the API's list, with the connections each video got.
        List<Map<String, Object>> content = api("metrics", token)
                .get("/groups/{g}/metrics", shown)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("_computed.topContentByEngagement");
        assertThat(browser.findAll("#top-content tbody tr[data-entity-id]"))
                .extracting(r -> r.getAttribute("data-entity-id") + "=" + r.getAttribute("data-connections"))
                .containsExactlyElementsOf(content.stream()
                        .map(c -> c.get("entityId") + "=" + c.get("connectionCount"))
                        .toList());

        // Archival runs: the group's run with its objects and bytes as the API gives them; it took the old logins.
        assertThat(browser.findAll("#archival tbody tr[data-run-id]"))
                .extracting(r -> r.getAttribute("data-archived"))
                .containsExactly(Integer.toString(OLD_LOGINS));
        List<Map<String, Object>> runs = api("archival", token)
                .get("/groups/{g}/archival/runs?limit=10", shown)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("runs");
        assertThat(browser.findAll("#archival tbody tr[data-run-id]"))
                .extracting(r -> r.getAttribute("data-run-id") + " " + r.getAttribute("data-objects") + " "
                        + r.getAttribute("data-bytes"))
                .containsExactlyElementsOf(runs.stream()
                        .map(r -> r.get("runId") + " " + r.get("objects") + " " + r.get("bytes"))
                        .toList());
    }

    @Test
    @Order(2)
    void shouldAdvanceTheImportProgressBarWhileTheJobRuns() throws IOException {
        UUID group = createGroup("console-import", "enterprise");
        String token = TestTokens.forTenants(group);
        signIn(token);
        browser.open(console.base() + "/#/groups/" + group);
        browser.await("#group-view[data-loaded='true']", EVENTUALLY);

        int items = 200_000;
        Path file = WORK.resolve("import-" + group + ".ndjson");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < items; i++) {
                out.write("{\"type\":\"course\",\"name\":\"course " + i + "\",\"properties\":{\"n\":" + i + "}}\n");
            }
        }
        String job = api("ingest", token)
                .contentType("application/x-ndjson")
                .body(file.toFile())
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        // What the page's bar says, sampled every 100 ms until the job ends.
        List<Double> percents = new ArrayList<>();
        String selector = "#imports .import[data-import-id='" + job + "']";
        Awaitility.await("import " + job + " shown finished")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Map<String, String> bar = browser.data(selector);
                    if (bar == null) {
                        return false;
                    }
                    double percent = Double.parseDouble(bar.get("percent"));
                    if (percents.isEmpty() || percents.get(percents.size() - 1) != percent) {
                        percents.add(percent);
                        if (percents.size() == 2) {
                            browser.screenshot("console-import-running");
                        }
                    }
                    return !bar.get("status").equals("queued")
                            && !bar.get("status").equals("running");
                });
        Map<String, String> bar = browser.data(selector);
        assertThat(bar.get("status")).isEqualTo("succeeded");
        assertThat(Long.parseLong(bar.get("created"))).isEqualTo(items);
        assertThat(percents).as("the bar's values over the run").isSorted();
        assertThat(percents.stream().filter(p -> p > 0 && p < 100).distinct().count())
                .as("values strictly between 0 and 100 shown while the job ran: %s", percents)
                .isGreaterThanOrEqualTo(2);
        assertThat(percents.get(percents.size() - 1)).isEqualTo(100.0);
        api("ingest", token)
                .get("/groups/{g}/inventory", group)
                .then()
                .statusCode(200)
                .body("things", equalTo(items));
        browser.screenshot("console-import-done");
    }

    @Test
    @Order(3)
    void shouldShowATenantNothingOfAnotherTenantsGroup() {
        String token = TestTokens.forTenants(shown);
        signIn(token);
        // The group list offers the tenant's own group only.
        assertThat(browser.findAll("#group-select option"))
                .extracting(o -> o.getAttribute("value"))
                .containsExactlyInAnyOrder("", shown.toString());

        browser.open(console.base() + "/#/groups/" + other);
        browser.await("#group-view[data-loaded='refused']", EVENTUALLY);
        assertThat(browser.find("#group-view").isDisplayed()).isFalse();
        assertThat(browser.findAll("#quotas .gauge")).isEmpty();
        assertThat(browser.findAll("#error .error-line"))
                .extracting(e -> e.getAttribute("data-status"))
                .containsExactly("403");
        assertThat(browser.driver().getPageSource()).doesNotContain(otherSecret);
        browser.screenshot("console-forbidden");

        // Through the gateway, directly: the service's own 403 problem, and no door to the operations endpoints.
        RestAssured.given()
                .baseUri(console.base())
                .auth()
                .oauth2(token)
                .get("/api/quota/groups/{g}/quotas", other)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/forbidden"));
        RestAssured.given()
                .baseUri(console.base())
                .auth()
                .oauth2(token)
                .get("/api/ingest/groups/{g}/things", other)
                .then()
                .statusCode(403);
        RestAssured.given()
                .baseUri(console.base())
                .get("/api/ingest/q/metrics")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        RestAssured.given()
                .baseUri(console.base())
                .get("/api/elsewhere/groups")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        RestAssured.given()
                .baseUri(console.base())
                .get("/api/quota/groups/{g}/quotas", other)
                .then()
                .statusCode(401);
    }

    @Test
    @Order(4)
    void shouldShowAdminsTheGroupsNearestTheirLimitsLagAndQuarantine() {
        String token = TestTokens.admin();
        signIn(token);
        browser.open(console.base() + "/#/admin");
        browser.await("#admin-view[data-loaded='true']", EVENTUALLY);

        List<Map<String, Object>> groups = api("quota", token)
                .get("/admin/quotas/groups?limit=20")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("groups");
        List<WebElement> rows = browser.findAll("#nearest tbody tr[data-group-id]");
        assertThat(rows)
                .extracting(r -> r.getAttribute("data-group-id"))
                .containsExactlyElementsOf(
                        groups.stream().map(g -> (String) g.get("groupId")).toList());
        // The starter group holding 90 of its 100 entities is the nearest: 90 %, warning.
        WebElement first = rows.get(0);
        assertThat(first.getAttribute("data-group-id")).isEqualTo(nearLimit.toString());
        assertThat(Double.parseDouble(first.getAttribute("data-percent"))).isEqualTo(90.0);
        assertThat(first.getAttribute("data-status")).isEqualTo("warning");
        assertThat(first.getAttribute("data-metric")).isEqualTo("entities_total");

        // Lag moves while the import of the test before drains: the page shows quota's figure as a count of records.
        api("quota", token).get("/admin/quotas/lag").then().statusCode(200);
        assertThat(Long.parseLong(browser.find("#lag").getAttribute("data-quota-lag")))
                .isNotNegative();
        assertThat(browser.find("#lag dd[data-service='quota']").getText().replace(",", ""))
                .isEqualTo(browser.find("#lag").getAttribute("data-quota-lag"));
        for (String service : List.of("quota", "metrics")) {
            int quarantined = api(service, token)
                    .get("/admin/stream-consumer/quarantine?limit=50")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("")
                    .size();
            assertThat(Integer.parseInt(browser.find("#quarantine").getAttribute("data-" + service)))
                    .as(service)
                    .isEqualTo(quarantined);
        }
        browser.screenshot("console-admin");

        // The group near its limit, as its page shows it: the entities gauge in the warning colour.
        first.findElement(org.openqa.selenium.By.cssSelector("a")).click();
        browser.await("#group-view[data-loaded='true'][data-group-id='" + nearLimit + "']", EVENTUALLY);
        assertThat(browser.data("#quotas .gauge[data-metric='entities_total']"))
                .containsEntry("percent", "90")
                .containsEntry("status", "warning");
        browser.screenshot("console-group-near-limit");
    }

    // ---- set-up ----------------------------------------------------------------------------------------------

    /**
     * The shown group (enterprise: nothing is limited): creators followed by 3, 2 and 1 fans, videos authored by
     * the first creator, fans taking part in each video, views and logins today; an archival run over it. Another
     * tenant's group with a thing whose name must never reach the shown tenant's page. A starter group at 90 of
     * its 100 entities.
     */
    private static void populate() {
        shown = createGroup("console-shown", "enterprise");
        other = createGroup("console-other", "pro");
        nearLimit = createGroup("console-near-limit", "starter");
        String token = TestTokens.forTenants(shown);

        StringBuilder things = new StringBuilder("{\"items\":[");
        for (int i = 0; i < CREATORS; i++) {
            things.append("{\"type\":\"creator\",\"name\":\"creator ").append(i).append("\"},");
        }
        for (int i = 0; i < FANS; i++) {
            things.append("{\"type\":\"user\",\"name\":\"fan ").append(i).append("\"},");
        }
        for (int i = 0; i < VIDEOS; i++) {
            things.append("{\"type\":\"video\",\"name\":\"video ")
                    .append(i)
                    .append("\"}")
                    .append(i < VIDEOS - 1 ? "," : "");
        }
        List<String> ids = batch(token, shown, "things", things.append("]}").toString());
        List<String> creators = ids.subList(0, CREATORS);
        List<String> fans = ids.subList(CREATORS, CREATORS + FANS);
        List<String> videos = ids.subList(CREATORS + FANS, ids.size());

        List<String> connections = new ArrayList<>();
        int fan = 0;
        for (int c = 0; c < CREATORS; c++) {
            int count = CREATORS - c; // 3, 2, 1 followers
            followers.put(creators.get(c), count);
            for (int f = 0; f < count; f++) {
                connections.add(connection(fans.get(fan++ % FANS), creators.get(c), "following"));
            }
        }
        for (int v = 0; v < VIDEOS; v++) {
            connections.add(connection(creators.get(0), videos.get(v), "authored"));
            for (int f = 0; f <= v; f++) {
                connections.add(connection(fans.get(f), videos.get(v), "participated_in"));
            }
        }
        fans.forEach(f -> followers.put(f, 0));
        batch(token, shown, "connections", "{\"items\":[" + String.join(",", connections) + "]}");

        List<String> events = new ArrayList<>();
        for (int i = 0; i < VIEWS; i++) {
            events.add("{\"type\":\"content_event\",\"actorId\":\"" + fans.get(i % FANS) + "\",\"targetId\":\""
                    + videos.get(i % VIDEOS) + "\",\"metadata\":{\"action\":\"viewed\"}}");
        }
        for (int i = 0; i < LOGINS; i++) {
            events.add("{\"type\":\"user_login\",\"actorId\":\"" + fans.get(i) + "\"}");
        }
        String longAgo = java.time.Instant.now().minus(Duration.ofDays(400)).toString();
        for (int i = 0; i < OLD_LOGINS; i++) {
            events.add(
                    "{\"type\":\"user_login\",\"actorId\":\"" + fans.get(i) + "\",\"timestamp\":\"" + longAgo + "\"}");
        }
        batch(token, shown, "events", "{\"items\":[" + String.join(",", events) + "]}");

        otherSecret = "other-tenant-secret-" + UUID.randomUUID();
        batch(
                TestTokens.forTenants(other),
                other,
                "things",
                "{\"items\":[{\"type\":\"creator\",\"name\":\"" + otherSecret + "\"}]}");

        // Videos, not people: the starter plan's 5 users would refuse the batch before entities came near.
        StringBuilder ninety = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 90; i++) {
            ninety.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"video\",\"name\":\"video ")
                    .append(i)
                    .append("\"}");
        }
        batch(
                TestTokens.forTenants(nearLimit),
                nearLimit,
                "things",
                ninety.append("]}").toString());

        String run = api("archival", TestTokens.admin())
                .post("/groups/{g}/archival?daysCutoff=365", shown)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        eventually(
                "archival run " + run + " finished",
                () -> api("archival", TestTokens.admin())
                        .get("/archival/runs/{id}", run)
                        .then()
                        .statusCode(200)
                        .body("status", org.hamcrest.Matchers.not(equalTo("running"))));

        eventually(
                "quota-service counted the shown group",
                () -> api("quota", token)
                        .get("/groups/{g}/quotas", shown)
                        .then()
                        .statusCode(200)
                        .body("quotas.entities_total.current", equalTo(CREATORS + FANS + VIDEOS))
                        .body("quotas.connections_total.current", equalTo(connections.size())));
        eventually(
                "quota-service counted the group near its limit",
                () -> api("quota", TestTokens.forTenants(nearLimit))
                        .get("/groups/{g}/quotas", nearLimit)
                        .then()
                        .statusCode(200)
                        .body("quotas.entities_total.current", equalTo(90)));
        eventually(
                "metrics-service applied the shown group's events",
                () -> api("metrics", token)
                        .get("/groups/{g}/metrics/events?days=30", shown)
                        .then()
                        .statusCode(200)
                        .body("days.byType.content_event.sum()", equalTo(VIEWS))
                        .body("days.byType.user_login.sum()", equalTo(LOGINS)));
        eventually(
                "metrics-service counted the followers",
                () -> api("metrics", token)
                        .get("/groups/{g}/metrics/creators?limit=10", shown)
                        .then()
                        .statusCode(200)
                        .body("creators[0].totalFollowers", equalTo(CREATORS)));
    }

    private static String connection(String from, String to, String type) {
        return "{\"fromThingId\":\"" + from + "\",\"toThingId\":\"" + to + "\",\"relationshipType\":\"" + type + "\"}";
    }

    private static UUID createGroup(String name, String plan) {
        return UUID.fromString(api("ingest", TestTokens.admin())
                .body(Map.of("name", name, "plan", plan))
                .post("/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    }

    /** A batch, sent again with its Idempotency-Key while quota-service is still warming up (503). */
    private static List<String> batch(String token, UUID group, String kind, String body) {
        String key = UUID.randomUUID().toString();
        List<String> created = new ArrayList<>();
        eventually(kind + " batch written in " + group, () -> {
            var response = api("ingest", token)
                    .header("Idempotency-Key", key)
                    .body(body)
                    .post("/groups/{g}/" + kind + ":batch", group)
                    .then()
                    .extract();
            assertThat(response.statusCode())
                    .as("%s batch: %s", kind, response.asString())
                    .isEqualTo(200);
            assertThat((Integer) response.path("failed"))
                    .as("%s batch: %s", kind, response.asString())
                    .isZero();
            created.clear();
            created.addAll(response.path("created"));
        });
        return created;
    }

    private static RequestSpecification api(String service, String token) {
        return RestAssured.given()
                .baseUri(stack.base(service))
                .auth()
                .oauth2(token)
                .contentType("application/json");
    }

    private static void eventually(String what, org.awaitility.core.ThrowingRunnable assertion) {
        Awaitility.await(what)
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(assertion);
    }

    /** Signs in through the page's own form, as a person would. */
    private static void signIn(String token) {
        browser.open(console.base() + "/");
        browser.await("body[data-ready='true']", EVENTUALLY);
        if (!browser.findAll("#sign-out").isEmpty() && browser.find("#sign-out").isDisplayed()) {
            browser.find("#sign-out").click();
        }
        browser.await("#sign-in-panel:not([hidden])", EVENTUALLY);
        WebElement field = browser.find("#token");
        field.clear();
        // A JWT is long: set it in one go rather than typing it key by key.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].value = arguments[1];", field, token);
        browser.find("#sign-in").click();
        browser.await("#nav:not([hidden])", EVENTUALLY);
    }

    private static double number(String value) {
        return Double.parseDouble(value);
    }

    /** A JSON figure as the page writes it in a data attribute: null as empty. */
    private static String text(String value) {
        return value == null ? "" : value;
    }
}
