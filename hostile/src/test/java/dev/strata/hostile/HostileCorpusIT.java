package dev.strata.hostile;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.local.DevTokens;
import dev.strata.model.problem.ProblemType;
import dev.strata.testing.PackagedStack;
import dev.strata.testing.RawHttp;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus (issue 13) against the four PACKAGED services: every case must be answered with exactly its
 * expected 4xx {@code application/problem+json} and problem type, no 5xx, no row written (the Strata schemas
 * counted before and after, the metering trail left out: see {@link RowCensus}), no event published but metering,
 * the victim group never metered, every service live and ready after each large case and at the end, each heap
 * sampled while the large cases run and never exhausted. Every endpoint the services publish in their OpenAPI has
 * at least one case.
 *
 * <p>It fails listing every failing case, grouped by cause, and always prints one summary line; the same report is
 * written to {@code target/hostile/report.txt}. Small cases run first, large ones last, so that a service a large
 * case breaks (it is then restarted) cannot spoil the answers of the rest.
 */
class HostileCorpusIT {

    static final Path WORK = Path.of("target", "hostile").toAbsolutePath();
    static final Duration SMALL_CASE_TIMEOUT = Duration.ofSeconds(30);
    /** A correct service answers any case in seconds; one that takes longer is thrashing on it. */
    static final Duration LARGE_CASE_TIMEOUT = Duration.ofSeconds(45);

    static final Duration SETTLE = Duration.ofSeconds(60);
    /**
     * An oversize body at least this long must be refused before it has all been sent (as the bytes arrive): more
     * than the socket buffers between the two ends hold.
     */
    static final long CUT_OFF_FROM = 16L << 20;
    /** Three metering windows without a new record: every meter has flushed what it counted. */
    static final Duration QUIET = Duration.ofSeconds(3);

    static final Duration HEALTH = Duration.ofSeconds(30);
    static final String PROBLEM_JSON = "application/problem+json";
    /** The event types quota-service applies (its UsageEventDecoder.TYPES); it ignores the rest without a trace. */
    static final Set<String> QUOTA_TYPES = Set.of(
            "thing_created",
            "thing_updated",
            "connection_created",
            "knowledge_created",
            "api_call",
            "batch_import",
            "group_created",
            "group_plan_changed");

    /** What one case got, and what is wrong with it (nothing when it passed). */
    record Outcome(HostileCase c, RawHttp.Response response, String gotType, List<String> wrong) {

        boolean passed() {
            return wrong.isEmpty();
        }

        /** The cause, for grouping: service, expected answer and actual answer. */
        String cause() {
            String got =
                    response.status() < 0 ? "no answer (" + response.error() + ")" : response.status() + " " + gotType;
            String rows = wrong.stream()
                    .filter(w -> w.startsWith("wrote "))
                    .findFirst()
                    .map(w -> ", wrote rows")
                    .orElse("");
            return c.service() + ": expected " + c.expect().status() + " "
                    + c.expect().type() + ", got " + got + rows;
        }

        String line() {
            String contentType = response.header("content-type");
            return c.id() + " [" + c.method() + " " + RawHttp.abbreviate(c.path(), 80) + "]: expected "
                    + c.expect().status() + " " + c.expect().type() + "; got " + response.status() + " " + gotType
                    + " (" + (contentType == null ? "no content type" : contentType) + ", " + response.millis()
                    + " ms" + (response.bytesSent() > 0 ? ", " + mib(response.bytesSent()) + " MiB sent" : "") + ")"
                    + (response.error() != null ? " error: " + response.error() : "")
                    + "; " + String.join("; ", wrong)
                    + "; body: " + RawHttp.abbreviate(response.bodyText(), 200);
        }
    }

    /** The services' heap, as in the local run. */
    static final String HEAP = "384m";

    static final long HEAP_BYTES = 384L << 20;
    /**
     * Import bodies are capped at 4 GiB in production; the corpus lowers the cap to 32 MiB so that an oversize
     * chunked import needs 40 MB, not 4 GB. The behaviour under test (refused as the bytes arrive) is the same.
     */
    static final long IMPORT_CAP = 32L << 20;

    private PackagedStack stack;
    private Placeholders values;
    private HeapWatch heap;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    /** Failures of the run as a whole: health, settling. */
    private final List<String> runFailures = new ArrayList<>();
    /** Services found unhealthy (alive, not ready or not live) and left so: not waited for again. */
    private final Map<String, String> knownUnhealthy = new TreeMap<>();

    private boolean importsStuck;

    @Test
    void shouldAnswerEveryHostileCaseWithItsProblemWritingNothing() throws Exception {
        long begin = System.nanoTime();
        List<HostileCase> cases = Corpus.load();
        TestEndpoints servers = TestServers.ensureStarted();
        stack = new PackagedStack(servers, WORK, HEAP)
                .with("ingest", "strata.ingest.imports.max-body-bytes", Long.toString(IMPORT_CAP))
                // No run at 02:30 in the middle of the corpus: its rows would count as written.
                .with("archival", "strata.archival.schedule.enabled", "false");
        assumeTrue(
                stack.missingJars().isEmpty(),
                () -> "HostileCorpusIT needs the four packaged services, and "
                        + stack.missingJars() + " is missing: run it through the reactor (mvn -B verify, or "
                        + "mvn -B -pl hostile -am verify), which packages them first");
        try (PackagedStack services = stack) {
            services.start();
            values = Fixtures.create(services);
            tokens(servers);
            UUID victim = UUID.fromString(values.value("other"));
            try (StreamWatch stream = new StreamWatch(servers.kafkaBootstrap())) {
                settle(stream, "after the setup");
                stream.mark();
                Map<String, Long> before = RowCensus.count(List.of());
                long[] victimCallsBefore = victimCalls(victim);

                List<Outcome> outcomes = runAll(cases);

                settle(stream, "after the corpus");
                List<StreamWatch.Seen> published = stream.seen();
                List<String> meteringIds = published.stream()
                        .filter(StreamWatch.Seen::metering)
                        .map(StreamWatch.Seen::id)
                        .toList();
                Map<String, Long> changes = RowCensus.changes(before, RowCensus.count(meteringIds));
                long[] victimCallsAfter = victimCalls(victim);
                Map<String, String> finalHealth = stack.unhealthy();
                List<String> uncovered = uncovered(cases);

                report(
                        cases,
                        outcomes,
                        published,
                        changes,
                        victim,
                        victimCallsBefore,
                        victimCallsAfter,
                        finalHealth,
                        uncovered,
                        begin);
            }
        }
    }

    private void tokens(TestEndpoints servers) {
        UUID own = UUID.fromString(values.value("own"));
        UUID other = UUID.fromString(values.value("other"));
        tokens.put("own", TestTokens.forTenants(own));
        tokens.put("other", TestTokens.forTenants(other));
        tokens.put("admin", TestTokens.admin());
        tokens.put("service", TestTokens.service());
        tokens.put("expired", TestTokens.expired(own));
        // Same issuer and claims, signed with a key pair of its own that no service trusts.
        tokens.put(
                "forged",
                DevTokens.inDirectory(WORK.resolve("forged-keys"))
                        .forTenants(List.of(own), List.of("user"), Duration.ofHours(1)));
    }

    private List<Outcome> runAll(List<HostileCase> cases) throws SQLException {
        List<HostileCase> small = new ArrayList<>();
        List<HostileCase> large = new ArrayList<>();
        for (HostileCase c : cases) {
            (Corpus.isLarge(c, Corpus.body(c, values)) ? large : small).add(c);
        }
        heap = new HeapWatch(stack::base);
        List<Outcome> outcomes = new ArrayList<>();
        try (Connection db = TestDatabase.connect()) {
            Map<String, Long> direct = RowCensus.direct(db);
            for (HostileCase c : small) {
                Outcome outcome = run(c, false);
                Map<String, Long> now = directAfterImports(db);
                wrote(outcome, direct, now);
                direct = now;
                outcomes.add(outcome);
                if (outcomes.size() % 100 == 0) {
                    System.out.printf("hostile corpus: %d of %d small cases sent%n", outcomes.size(), small.size());
                }
            }
            checkHealth("the small cases", null);
            for (HostileCase c : large) {
                Outcome outcome = run(c, true);
                checkHealth(c.id(), outcome);
                Map<String, Long> now = directAfterImports(db);
                wrote(outcome, direct, now);
                direct = now;
                outcomes.add(outcome);
                System.out.printf(
                        "hostile corpus: large case %s: %d %s in %,d ms, %,d MiB sent%s%n",
                        c.id(),
                        outcome.response().status(),
                        outcome.gotType(),
                        outcome.response().millis(),
                        mib(outcome.response().bytesSent()),
                        outcome.passed() ? "" : " (failed)");
            }
        }
        return outcomes;
    }

    private Outcome run(HostileCase c, boolean large) {
        Placeholders caseValues = values.forCase();
        RawHttp.Request request = Corpus.request(c, caseValues, tokens::get);
        if (large) {
            heap.start();
        }
        RawHttp.Response response;
        try {
            response = RawHttp.send(
                    "127.0.0.1", stack.port(c.service()), request, large ? LARGE_CASE_TIMEOUT : SMALL_CASE_TIMEOUT);
        } finally {
            if (large) {
                heap.stop();
            }
        }
        List<String> wrong = new ArrayList<>();
        String gotType = check(c, response, wrong);
        if (c.expect().status() == 413
                && request.body() != null
                && request.body().length() >= CUT_OFF_FROM
                && response.status() > 0
                && response.bytesSent() >= request.body().length()) {
            wrong.add("answered only after the whole body ("
                    + mib(request.body().length()) + " MiB) was read: not " + "refused as the bytes arrived");
        }
        return new Outcome(c, response, gotType, wrong);
    }

    /**
     * The direct tables' counts once no import job is queued or running, so that what a job a case submitted
     * writes is counted against that case and not the next. A job that does not finish in 30 s (its worker died
     * with its service, say) is not waited for again; the settling reports it.
     */
    private Map<String, Long> directAfterImports(Connection db) {
        if (!importsStuck) {
            try {
                Awaitility.await("import jobs done")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> TestDatabase.scalar("SELECT count(*) FROM ingest.import_jobs"
                                        + " WHERE status IN ('queued', 'running')")
                                == 0);
            } catch (ConditionTimeoutException e) {
                importsStuck = true;
            }
        }
        return RowCensus.direct(db);
    }

    /** Rows that appeared in the directly written tables while the case ran are the case's failure. */
    private static void wrote(Outcome outcome, Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> written = RowCensus.changes(before, after);
        if (!written.isEmpty()) {
            outcome.wrong().add("wrote " + written);
        }
    }

    /** Checks status, content type and problem body; returns the problem type's slug (or what came instead). */
    private static String check(HostileCase c, RawHttp.Response response, List<String> wrong) {
        if (response.status() < 0) {
            wrong.add("no answer: " + response.error());
            return "-";
        }
        if (response.status() != c.expect().status()) {
            wrong.add(
                    "status " + response.status() + " instead of " + c.expect().status());
        }
        if (c.expect().byCodec()) {
            return HostileCase.Expect.HTTP_CODEC; // no problem body to check: see Expect
        }
        String contentType = response.header("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROBLEM_JSON)) {
            wrong.add("content type " + contentType + " instead of " + PROBLEM_JSON);
        }
        JsonNode problem;
        try {
            problem = Corpus.MAPPER.readTree(response.body());
        } catch (IOException e) {
            problem = null;
        }
        String type =
                problem != null && problem.isObject() ? problem.path("type").asText("") : "";
        if (!type.startsWith(ProblemType.BASE_URI)) {
            wrong.add("the body is not a problem");
            return contentType == null || contentType.isBlank()
                    ? "(empty)"
                    : "(" + contentType.split(";")[0] + ")";
        }
        String slug = type.substring(ProblemType.BASE_URI.length());
        String expected = Corpus.type(c.expect().type()).uri();
        if (!type.equals(expected)) {
            wrong.add("type " + type + " instead of " + expected);
        }
        if (problem.path("status").asInt(-1) != response.status()) {
            wrong.add("body status " + problem.path("status") + " differs from the HTTP status");
        }
        return slug;
    }

    /**
     * Every service must be live and ready (within 30 s) and free of OutOfMemoryError after each large case and
     * after the small ones. A dead or out-of-memory service is restarted on its port, so the rest of the corpus
     * still runs; one that is alive but stays unhealthy (a consumer stopped by a record it cannot apply, say) is
     * reported once and not waited for again, since a restart would not cure it.
     */
    private void checkHealth(String after, Outcome outcome) {
        Map<String, String> wrong = new TreeMap<>();
        try {
            Awaitility.await("every service healthy after " + after)
                    .atMost(HEALTH)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> knownUnhealthy
                            .keySet()
                            .containsAll(stack.unhealthy().keySet()));
        } catch (ConditionTimeoutException e) {
            stack.unhealthy().forEach((service, what) -> {
                if (!knownUnhealthy.containsKey(service)) {
                    wrong.put(service, what);
                }
            });
        }
        Set<String> restart = new TreeSet<>(stack.outOfMemory());
        restart.forEach(service -> wrong.merge(service, "OutOfMemoryError in its log", (a, b) -> a + "; " + b));
        wrong.forEach((service, what) -> {
            if (!stack.service(service).isAlive()) {
                restart.add(service);
            }
        });
        wrong.forEach((service, what) -> {
            String failure = service + " found unhealthy after " + after + ": " + what
                    + (restart.contains(service) ? " (restarted)" : " (left as it is)");
            runFailures.add("health: " + failure);
            if (outcome != null) {
                outcome.wrong().add(failure);
            }
            System.out.println("hostile corpus: " + failure);
        });
        for (String service : restart) {
            stack.restart(service);
            knownUnhealthy.remove(service);
        }
        stack.unhealthy().forEach(knownUnhealthy::putIfAbsent);
    }

    /**
     * Waits until everything written has been relayed and applied: outboxes empty, no import job pending, every
     * event seen on the topic applied (or quarantined) by quota and metrics, and the topic quiet for three metering
     * windows. A run that does not settle is a failure (a consumer stuck on a record it cannot apply, say); the
     * census is taken anyway.
     */
    private void settle(StreamWatch stream, String when) {
        try {
            Awaitility.await("the services settled " + when)
                    .atMost(SETTLE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> pending(stream).isEmpty());
        } catch (ConditionTimeoutException e) {
            String failure =
                    "the services did not settle " + when + " within " + SETTLE.toSeconds() + " s: " + pending(stream);
            runFailures.add(failure);
            System.out.println("hostile corpus: " + failure);
        }
    }

    /**
     * What the run still waits for; empty when settled. A consumer already reported unhealthy is not waited for:
     * it will not catch up.
     */
    private List<String> pending(StreamWatch stream) {
        stream.drain();
        List<String> pending = new ArrayList<>();
        long outbox = RowCensus.outboxRows();
        if (outbox > 0) {
            pending.add(outbox + " outbox row(s)");
        }
        long imports =
                TestDatabase.scalar("SELECT count(*) FROM ingest.import_jobs WHERE status IN ('queued', 'running')");
        if (imports > 0) {
            pending.add(imports + " import job(s)");
        }
        if (stream.quietFor().compareTo(QUIET) < 0) {
            pending.add("the topic is not quiet");
        }
        List<StreamWatch.Seen> seen = stream.seen();
        List<String> quota = RowCensus.notYetApplied(
                "quota",
                seen.stream()
                        .filter(s -> s.id() != null && QUOTA_TYPES.contains(s.type()))
                        .map(StreamWatch.Seen::id)
                        .toList());
        if (!quota.isEmpty() && !knownUnhealthy.containsKey("quota")) {
            pending.add(quota.size() + " event(s) not applied by quota-service, e.g. " + quota.get(0));
        }
        List<String> metrics = RowCensus.notYetApplied(
                "metrics",
                seen.stream()
                        .filter(s -> s.id() != null)
                        .map(StreamWatch.Seen::id)
                        .toList());
        if (!metrics.isEmpty() && !knownUnhealthy.containsKey("metrics")) {
            pending.add(metrics.size() + " event(s) not applied by metrics-service, e.g. " + metrics.get(0));
        }
        return pending;
    }

    /** The victim's API calls as quota-service and metrics-service hold them (all months). */
    private static long[] victimCalls(UUID victim) {
        return new long[] {
            TestDatabase.scalar(
                    "SELECT coalesce(sum(value), 0) FROM quota.counters WHERE group_id = ?"
                            + " AND metric = 'api_calls_per_month'",
                    victim),
            TestDatabase.scalar(
                    "SELECT coalesce(sum(calls), 0) FROM metrics.api_calls_monthly" + " WHERE group_id = ?", victim)
        };
    }

    /** Endpoints a service publishes in its OpenAPI document that no case calls with their method. */
    private List<String> uncovered(List<HostileCase> cases) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> uncovered = new ArrayList<>();
        Placeholders dummies = Placeholders.dummies();
        for (String service : Corpus.SERVICES) {
            JsonNode paths;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(stack.base(service) + "/q/openapi?format=json"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                paths = Corpus.MAPPER.readTree(response.body()).path("paths");
            } catch (IOException e) {
                uncovered.add(service + ": its OpenAPI document could not be read (" + e.getMessage() + ")");
                continue;
            }
            paths.properties().forEach(entry -> {
                Pattern template =
                        Pattern.compile(Pattern.quote(entry.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
                entry.getValue().fieldNames().forEachRemaining(method -> {
                    String verb = method.toUpperCase(Locale.ROOT);
                    if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(verb)) {
                        return;
                    }
                    boolean covered = cases.stream()
                            .anyMatch(c -> c.service().equals(service)
                                    && c.method().equals(verb)
                                    && template.matcher(dummies.apply(c.path())).matches());
                    if (!covered) {
                        uncovered.add(service + " " + verb + " " + entry.getKey());
                    }
                });
            });
        }
        return uncovered;
    }

    private void report(
            List<HostileCase> cases,
            List<Outcome> outcomes,
            List<StreamWatch.Seen> published,
            Map<String, Long> changes,
            UUID victim,
            long[] victimBefore,
            long[] victimAfter,
            Map<String, String> finalHealth,
            List<String> uncovered,
            long begin)
            throws IOException {
        long fourXx =
                outcomes.stream().filter(o -> o.response().status() / 100 == 4).count();
        long byCodec = outcomes.stream().filter(o -> o.c().expect().byCodec()).count();
        long fiveXx =
                outcomes.stream().filter(o -> o.response().status() / 100 == 5).count();
        Outcome slowest = outcomes.stream()
                .max(Comparator.comparingLong(o -> o.response().millis()))
                .orElseThrow();
        Map<String, Long> peaks = heap.peaks();
        String heapLine = Corpus.SERVICES.stream()
                .map(s -> s + " " + (peaks.containsKey(s) ? mib(peaks.get(s)) + " MiB" : "-"))
                .collect(Collectors.joining(" / "));
        long rows = RowCensus.written(changes);
        String summary = String.format(
                Locale.ROOT,
                "hostile corpus: %,d cases, %,d 4xx (%,d of them the HTTP codec's"
                        + " bare 400), %,d 5xx, %,d rows written, slowest %s %,d ms, peak heap %s (of %d MiB)",
                outcomes.size(),
                fourXx,
                byCodec,
                fiveXx,
                rows,
                slowest.c().id(),
                slowest.response().millis(),
                heapLine,
                HEAP_BYTES >> 20);

        List<String> failures = new ArrayList<>();
        List<Outcome> failed = outcomes.stream().filter(o -> !o.passed()).toList();
        if (!failed.isEmpty()) {
            failures.add(failed.size() + " of " + outcomes.size() + " cases failed, by cause:");
            Map<String, List<Outcome>> byCause =
                    failed.stream().collect(Collectors.groupingBy(Outcome::cause, TreeMap::new, Collectors.toList()));
            byCause.forEach((cause, list) -> {
                failures.add("  " + cause + ": " + list.size() + " case(s)");
                list.forEach(o -> failures.add("    " + o.line()));
            });
        }
        if (!changes.isEmpty()) {
            failures.add("rows written by hostile cases (metering trail left out): " + changes);
        }
        List<StreamWatch.Seen> notMetering =
                published.stream().filter(s -> !s.metering()).toList();
        if (!notMetering.isEmpty()) {
            failures.add(notMetering.size() + " event(s) other than metering published during the corpus:");
            notMetering.forEach(s -> failures.add("    " + s.type() + " " + s.id() + " group " + s.groupId() + " from "
                    + s.source() + ": " + s.summary()));
        }
        long victimMetered = published.stream()
                .filter(s -> s.metering() && victim.toString().equals(s.groupId()))
                .count();
        if (victimMetered > 0 || victimBefore[0] != victimAfter[0] || victimBefore[1] != victimAfter[1]) {
            failures.add("the victim group " + victim + " was metered: " + victimMetered + " api_call event(s);"
                    + " quota api_calls " + victimBefore[0] + " -> " + victimAfter[0] + ", metrics "
                    + victimBefore[1] + " -> " + victimAfter[1]);
        }
        failures.addAll(runFailures);
        finalHealth.forEach((service, what) -> failures.add("health at the end: " + service + " " + what));
        peaks.forEach((service, peak) -> {
            if (peak >= HEAP_BYTES) {
                failures.add("heap: " + service + " used " + mib(peak) + " MiB of " + (HEAP_BYTES >> 20));
            }
        });
        if (!uncovered.isEmpty()) {
            failures.add("endpoints without a case: " + uncovered);
        }
        if (cases.size() < 300) {
            failures.add("the corpus has " + cases.size() + " cases; the issue asks for at least 300");
        }

        long seconds = (System.nanoTime() - begin) / 1_000_000_000;
        String text = summary + "\n" + "(the IT took " + seconds + " s; heap samples missed: " + heap.missed() + ")\n"
                + String.join("\n", failures) + "\n";
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("report.txt"), text);
        System.out.println(summary);
        if (!failures.isEmpty()) {
            fail(text);
        }
    }

    static long mib(long bytes) {
        return bytes >> 20;
    }
}
