package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * ingest-service end to end over HTTP: {@code things:batch} of 100, 1K and 10K, {@code connections:batch} of 1K,
 * {@code PATCH things:batch} of 1K and an import job, each beside raw PostgreSQL COPY of the same rows (things or
 * connections plus one event row each) into scratch tables in the same run. {@code STRATA_BENCH_IMPORT_ITEMS}
 * sets the import size (1,000,000).
 */
final class IngestSuite implements Benchmark.Suite {

    /** Untimed first runs of the connections and updates scenarios (their code paths are not warm yet). */
    private static final int WARM_UP = 10;

    @Override
    public void run(Stack stack, Report report) throws Exception {
        int importItems = Integer.parseInt(Stack.env("STRATA_BENCH_IMPORT_ITEMS", "1000000"));
        Settle pace = new Settle(stack);
        report.note("ingest pacing: " + pace.describe());
        try (RawPostgres raw = new RawPostgres(stack.pgUrl, stack.pgUser, stack.pgPassword)) {
            UUID group = stack.createGroup("benchmark ingest", "enterprise");
            Benchmark.say("ingest benchmark group " + group);
            String things = stack.ingest + "/groups/" + group + "/things:batch";
            if (!"import".equals(Stack.env("STRATA_BENCH_INGEST_ONLY", ""))) {
                batches(stack, report, pace, raw, group, things);
            }
            imports(stack, report, pace, group, raw, importItems);
        }
    }

    /**
     * The batch scenarios: things of 100, 1,000 and 10,000, then 1,000 connections and 1,000 updates, each timed
     * beside its raw equivalent. ({@code STRATA_BENCH_INGEST_ONLY=import} skips them.)
     */
    private static void batches(Stack stack, Report report, Settle pace, RawPostgres raw, UUID group, String things)
            throws Exception {
        // Warm-up (JIT, pools, prepared statements): a service just started runs its first few hundred batches
        // in the interpreter and C1 code, two to three times slower than once C2 has compiled the hot paths.
        for (int i = 0; i < 300; i++) {
            int n = i % 10 == 0 ? 1000 : 100;
            // retried: right after start-up quota-service may learn of the new group only after ingest's wait
            pace.after(group, Stack.position(stack.postRetrying(things, thingsBody(n, "warm"), null)));
            raw.copyThings(n);
        }
        for (int[] size : new int[][] {{100, 30}, {1000, 15}, {10_000, 7}}) {
            int n = size[0];
            Stats strata = new Stats();
            Stats limit = new Stats();
            for (int run = 0; run < size[1]; run++) {
                String body = thingsBody(n, "run" + run);
                long start = System.nanoTime();
                HttpResponse<String> answer = stack.post(things, body, 200);
                strata.add(System.nanoTime() - start);
                pace.after(group, Stack.position(answer));
                limit.add(raw.copyThings(n));
            }
            String goal = n == 100 ? "median < 20 ms" : n == 10_000 ? "ratio <= 1.5" : "";
            Boolean met = n == 100
                    ? Boolean.valueOf(strata.median() < 20)
                    : n == 10_000 ? Boolean.valueOf(strata.median() / limit.median() <= 1.5) : null;
            report.timed("things:batch " + n, n, strata, limit, goal, met);
        }
        raw.truncate();

        HttpResponse<String> peopleAnswer = stack.post(things, peopleBody(2000), 200);
        pace.after(group, Stack.position(peopleAnswer));
        List<String> people = Stack.createdIds(peopleAnswer);
        Stats connections = new Stats();
        Stats connectionsLimit = new Stats();
        timedRuns(
                pace,
                group,
                connections,
                connectionsLimit,
                run -> connectionsBody(people, run),
                body -> stack.post(stack.ingest + "/groups/" + group + "/connections:batch", body, 200),
                () -> raw.copyConnections(1000));
        report.timed(
                "connections:batch 1000",
                1000,
                connections,
                connectionsLimit,
                "median < 60 ms",
                connections.median() < 60);

        Stats updates = new Stats();
        Stats updatesLimit = new Stats();
        timedRuns(
                pace,
                group,
                updates,
                updatesLimit,
                run -> updatesBody(people, run),
                body -> stack.send(
                        HttpRequest.newBuilder(URI.create(things))
                                .header("Content-Type", "application/json")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)),
                        200),
                () -> raw.copyUpdates(1000));
        report.timed("PATCH things:batch 1000", 1000, updates, updatesLimit, "median < 100 ms", updates.median() < 100);
        raw.truncate();
    }

    /** Sends one request body; the answer is the write's. */
    private interface Write {
        HttpResponse<String> send(String body) throws Exception;
    }

    /**
     * {@code WARM_UP} untimed then 15 timed runs of a scenario: the body is built before the clock starts, the
     * consumers settle after each write (as paced), and the raw equivalent is timed after it.
     */
    private static void timedRuns(
            Settle pace,
            UUID group,
            Stats strata,
            Stats limit,
            IntFunction<String> body,
            Write write,
            Callable<Long> raw)
            throws Exception {
        for (int run = 0; run < WARM_UP + 15; run++) {
            String request = body.apply(run);
            long start = System.nanoTime();
            HttpResponse<String> answer = write.send(request);
            long elapsed = System.nanoTime() - start;
            pace.after(group, Stack.position(answer));
            long rawNanos = raw.call();
            if (run >= WARM_UP) {
                strata.add(elapsed);
                limit.add(rawNanos);
            }
        }
    }

    /** 1,000 follows from the first 1,000 people to the second 1,000, shifted by run so no run repeats one. */
    private static String connectionsBody(List<String> people, int run) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"fromThingId\":\"")
                    .append(people.get(i))
                    .append("\",\"toThingId\":\"")
                    .append(people.get(1000 + (i + run * 7) % 1000))
                    .append("\",\"relationshipType\":\"following\"}");
        }
        return body.append("]}").toString();
    }

    /** A new name and status for each of the first 1,000 people. */
    private static String updatesBody(List<String> people, int run) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(people.get(i))
                    .append("\",\"name\":\"renamed ")
                    .append(run)
                    .append('-')
                    .append(i)
                    .append("\",\"status\":\"")
                    .append(run % 2 == 0 ? "active" : "published")
                    .append("\"}");
        }
        return body.append("]}").toString();
    }

    /**
     * The import job twice: first with quota-service and metrics-service applying its events alongside (on this
     * machine they share its cores with ingest, Kafka and PostgreSQL), then with their stream consumers paused
     * (POST /admin/stream-consumer/pause), which times ingest's write path alone as it runs where the consumers
     * have machines of their own; that one is the goal's figure. After it the consumers are resumed and the time
     * they take to apply the million events is reported. Raw COPY of the same rows is timed once the consumers
     * are through and the machine is quiet, as raw figures are everywhere else.
     */
    private void imports(Stack stack, Report report, Settle pace, UUID group, RawPostgres raw, int items)
            throws Exception {
        String things = stack.ingest + "/groups/" + group + "/things:batch";
        Path file = importFile(items);
        try {
            Imported live = importJob(stack, group, file, items);
            // One more batch of the group, on the same partition, is applied after every event of the import.
            pace.await(group, Stack.position(stack.post(things, thingsBody(1, "after import"), 200)), 900);
            Benchmark.quiesce(stack);

            List<String> consumers = List.of(stack.quota, stack.metrics);
            Imported alone;
            try {
                for (String service : consumers) {
                    stack.post(service + "/admin/stream-consumer/pause", "{}", 200);
                }
                alone = importJob(stack, group, file, items);
            } finally { // resuming a consumer that is not paused changes nothing
                for (String service : consumers) {
                    stack.post(service + "/admin/stream-consumer/resume", "{}", 200);
                }
            }
            long resumed = System.nanoTime();
            pace.await(group, Stack.position(stack.post(things, thingsBody(1, "after paused import"), 200)), 900);
            long caughtUp = System.nanoTime() - resumed;
            Benchmark.quiesce(stack);

            long rawNanos = raw.copyThings(items);
            report.add(importRow("import job " + items + ", consumers live", live, items, rawNanos, false));
            report.add(importRow("import job " + items + ", write path", alone, items, rawNanos, true));
            report.add(new Report.Row(
                    "consumers apply the paused import",
                    1,
                    caughtUp / 1e6,
                    Double.NaN,
                    Double.NaN,
                    String.format(Locale.ROOT, "%,.0f events/s", items / (caughtUp / 1e9)),
                    Double.NaN,
                    "",
                    "",
                    null));
            report.note(String.format(
                    Locale.ROOT,
                    "import job heap (ingest-service): %.0f MB before, %.0f MB peak"
                            + " (consumers live), %.0f MB peak (write path); sampled every 0.5 s",
                    live.heapBefore(),
                    live.heapPeak(),
                    alone.heapPeak()));
            report.note("import job, write path: quota-service and metrics-service had paused their stream"
                    + " consumers (the job still reserves its quota at quota-service); they then applied the"
                    + " import's events in the time of the next row. Consumers live: all of it at once on this"
                    + " machine's two cores.");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A temporary NDJSON file of {@code items} things for the import job; the caller deletes it. */
    static Path importFile(int items) throws IOException {
        Path file = Files.createTempFile("strata-import", ".ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < items; i++) {
                out.write("{\"type\":\"" + (i % 3 == 0 ? "user" : "video") + "\",\"name\":\"imported " + i
                        + "\",\"properties\":{\"n\":" + i + "}}\n");
            }
        }
        return file;
    }

    record Imported(long nanos, double heapBefore, double heapPeak) {}

    /** Posts the import job and waits for its end, sampling ingest's heap; every item must have been created. */
    static Imported importJob(Stack stack, UUID group, Path file, int items) throws Exception {
        double heapBefore = stack.heapUsedMb(stack.ingest);
        long start = System.nanoTime();
        HttpResponse<String> accepted = stack.send(
                HttpRequest.newBuilder(URI.create(stack.ingest + "/groups/" + group + "/imports"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofFile(file)),
                202);
        String id = Stack.JSON.readTree(accepted.body()).get("id").asText();
        double heapPeak = heapBefore;
        JsonNode job;
        do {
            Thread.sleep(500);
            heapPeak = Math.max(heapPeak, stack.heapUsedMb(stack.ingest));
            job = stack.getJson(stack.ingest + "/imports/" + id);
        } while (job.get("status").asText().matches("queued|running"));
        long elapsed = System.nanoTime() - start;
        if (!"succeeded".equals(job.get("status").asText())
                || job.get("created").asLong() != items) {
            throw new IllegalStateException("import job did not create every item: " + job);
        }
        return new Imported(elapsed, heapBefore, heapPeak);
    }

    private static Report.Row importRow(String name, Imported job, int items, long rawNanos, boolean goal) {
        double ratio = (double) rawNanos / job.nanos(); // rate ratio: Strata's rows/s over raw rows/s
        return new Report.Row(
                name,
                1,
                job.nanos() / 1e6,
                Double.NaN,
                Double.NaN,
                String.format(Locale.ROOT, "%,.0f rows/s", items / (job.nanos() / 1e9)),
                rawNanos / 1e6,
                String.format(Locale.ROOT, "rate %.2fx raw", ratio),
                goal ? "rate >= 0.6x raw" : "",
                goal ? ratio >= 0.6 : null);
    }

    private static String peopleBody(int n) {
        StringBuilder body = new StringBuilder(n * 60).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"user\",\"name\":\"person ")
                    .append(i)
                    .append("\"}");
        }
        return body.append("]}").toString();
    }

    static String thingsBody(int n, String label) {
        StringBuilder body = new StringBuilder(n * 80).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"")
                    .append(i % 3 == 0 ? "user" : "video")
                    .append("\",\"name\":\"")
                    .append(label)
                    .append(' ')
                    .append(i)
                    .append("\",\"properties\":{\"n\":")
                    .append(i)
                    .append(",\"plan\":\"gold\"}}");
        }
        return body.append("]}").toString();
    }
}
