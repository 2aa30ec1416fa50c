package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.local.DevTokens;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Times ingest-service end to end over HTTP against a running stack, and raw PostgreSQL COPY of the same rows in
 * the same run, then prints one table. Each scenario runs several times after a warm-up; the table shows the
 * median and p95, rows per second at the median, and the ratio to the raw limit.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingest;
    private final String token;
    private final List<String> table = new ArrayList<>();

    private Benchmark(String ingest, String token) {
        this.ingest = ingest;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String ingest = env("STRATA_INGEST_URL", "http://127.0.0.1:8081");
        String pgUrl = env("STRATA_PG_URL", "jdbc:postgresql://127.0.0.1:5432/strata");
        Path home = Path.of(env("STRATA_HOME", ".strata"));
        int importItems = Integer.parseInt(env("STRATA_BENCH_IMPORT_ITEMS", "1000000"));
        String token = DevTokens.inDirectory(home.resolve("keys"))
                .mint("benchmark", List.of(), List.of("admin", "service"), Duration.ofHours(2));

        Benchmark bench = new Benchmark(ingest, token);
        try (RawPostgres raw = new RawPostgres(pgUrl, env("STRATA_PG_USER", "postgres"),
                env("STRATA_PG_PASSWORD", ""))) {
            bench.ingestScenarios(raw, importItems);
        }
        bench.print();
    }

    private void ingestScenarios(RawPostgres raw, int importItems) throws Exception {
        UUID group = createGroup();
        say("benchmark group " + group);
        for (int i = 0; i < 5; i++) { // warm-up: JIT, pools, prepared statements
            post(group, "things:batch", thingsBody(1000, "warm"));
            raw.copyThings(1000);
        }
        for (int[] size : new int[][] {{100, 30, 20}, {1000, 15, 0}, {10_000, 7, 0}}) {
            int n = size[0];
            Stats strata = new Stats();
            Stats limit = new Stats();
            for (int run = 0; run < size[1]; run++) {
                String body = thingsBody(n, "run" + run);
                long start = System.nanoTime();
                post(group, "things:batch", body);
                strata.add(System.nanoTime() - start);
                limit.add(raw.copyThings(n));
            }
            String goal = n == 100 ? "median < 20 ms" : n == 10_000 ? "ratio <= 1.5" : "";
            boolean met = n == 100 ? strata.median() < 20 : n != 10_000 || strata.median() / limit.median() <= 1.5;
            row("things:batch " + n, n, strata, limit, goal, goal.isEmpty() ? "" : (met ? "yes" : "NO"));
        }
        raw.truncate();

        List<String> people = createdIds(post(group, "things:batch", peopleBody(2000)));
        Stats connections = new Stats();
        Stats connectionsLimit = new Stats();
        for (int run = 0; run < 10; run++) {
            StringBuilder body = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 1000; i++) {
                String from = people.get(i);
                String to = people.get(1000 + (i + run * 7) % 1000);
                body.append(i == 0 ? "" : ",").append("{\"fromThingId\":\"").append(from)
                        .append("\",\"toThingId\":\"").append(to).append("\",\"relationshipType\":\"following\"}");
            }
            body.append("]}");
            long start = System.nanoTime();
            post(group, "connections:batch", body.toString());
            connections.add(System.nanoTime() - start);
            connectionsLimit.add(raw.copyConnections(1000));
        }
        row("connections:batch 1000", 1000, connections, connectionsLimit, "median < 60 ms",
                connections.median() < 60 ? "yes" : "NO");

        Stats updates = new Stats();
        Stats updatesLimit = new Stats();
        for (int run = 0; run < 10; run++) {
            StringBuilder body = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 1000; i++) {
                body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(people.get(i))
                        .append("\",\"name\":\"renamed ").append(run).append('-').append(i)
                        .append("\",\"status\":\"").append(run % 2 == 0 ? "active" : "published").append("\"}");
            }
            body.append("]}");
            long start = System.nanoTime();
            send(HttpRequest.newBuilder(URI.create(ingest + "/groups/" + group + "/things:batch"))
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())), 200);
            updates.add(System.nanoTime() - start);
            updatesLimit.add(raw.copyUpdates(1000));
        }
        row("PATCH things:batch 1000", 1000, updates, updatesLimit, "median < 100 ms",
                updates.median() < 100 ? "yes" : "NO");
        raw.truncate();

        importJob(group, raw, importItems);
    }

    private void importJob(UUID group, RawPostgres raw, int items) throws Exception {
        Path file = Files.createTempFile("strata-import", ".ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < items; i++) {
                out.write("{\"type\":\"" + (i % 3 == 0 ? "user" : "video") + "\",\"name\":\"imported " + i
                        + "\",\"properties\":{\"n\":" + i + "}}\n");
            }
        }
        double heapBefore = heapUsedMb();
        long start = System.nanoTime();
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(ingest + "/groups/" + group + "/imports"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofFile(file)), 202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        double heapPeak = heapBefore;
        JsonNode job;
        do {
            Thread.sleep(500);
            heapPeak = Math.max(heapPeak, heapUsedMb());
            job = JSON.readTree(send(HttpRequest.newBuilder(URI.create(ingest + "/imports/" + id)).GET(), 200).body());
        } while (job.get("status").asText().matches("queued|running"));
        long elapsed = System.nanoTime() - start;
        Files.delete(file);
        if (!"succeeded".equals(job.get("status").asText()) || job.get("created").asLong() != items) {
            throw new IllegalStateException("import job did not create every item: " + job);
        }
        long rawNanos = raw.copyThings(items);
        Stats strata = new Stats();
        strata.add(elapsed);
        Stats limit = new Stats();
        limit.add(rawNanos);
        double ratio = (double) rawNanos / elapsed; // rate ratio: Strata's rows/s over raw rows/s
        row("import job " + items, items, strata, limit, "rate >= 0.6x raw", ratio >= 0.6 ? "yes" : "NO");
        table.add(String.format(Locale.ROOT, "  import job heap: %.0f MB before, %.0f MB peak (sampled every 0.5 s)",
                heapBefore, heapPeak));
    }

    private double heapUsedMb() {
        try {
            String metrics = send(HttpRequest.newBuilder(URI.create(ingest + "/q/metrics"))
                    .header("Accept", "text/plain").GET(), 200).body();
            double bytes = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return bytes / (1024 * 1024);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private UUID createGroup() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(ingest + "/groups"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"benchmark\",\"plan\":\"enterprise\"}")), 201);
        return UUID.fromString(JSON.readTree(created.body()).get("id").asText());
    }

    private HttpResponse<String> post(UUID group, String endpoint, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(ingest + "/groups/" + group + "/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 200);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected)
            throws IOException, InterruptedException {
        HttpRequest built = request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(30)).build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != expected) {
            String body = response.body();
            throw new IllegalStateException(built.method() + " " + built.uri() + " answered " + response.statusCode()
                    + ": " + (body.length() > 600 ? body.substring(0, 600) + "..." : body));
        }
        return response;
    }

    private static List<String> createdIds(HttpResponse<String> response) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).get("created").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static String peopleBody(int n) {
        StringBuilder body = new StringBuilder(n * 60).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"user\",\"name\":\"person ").append(i).append("\"}");
        }
        return body.append("]}").toString();
    }

    private static String thingsBody(int n, String label) {
        StringBuilder body = new StringBuilder(n * 80).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"").append(i % 3 == 0 ? "user" : "video")
                    .append("\",\"name\":\"").append(label).append(' ').append(i)
                    .append("\",\"properties\":{\"n\":").append(i).append(",\"plan\":\"gold\"}}");
        }
        return body.append("]}").toString();
    }

    private void row(String scenario, int rows, Stats strata, Stats limit, String goal, String met) {
        table.add(String.format(Locale.ROOT, "| %-24s | %4d | %9.1f | %9.1f | %10.0f | %9.1f | %6.2f | %-17s | %-3s |",
                scenario, strata.runs(), strata.median(), strata.p95(), rows / (strata.median() / 1000.0),
                limit.median(), strata.median() / limit.median(), goal, met));
        say(table.get(table.size() - 1));
    }

    private void print() {
        System.out.println();
        System.out.println("| scenario                 | runs | median ms |    p95 ms |     rows/s |   raw ms  |  ratio | goal              | met |");
        System.out.println("|--------------------------|------|-----------|-----------|------------|-----------|--------|-------------------|-----|");
        table.forEach(System.out::println);
        System.out.println();
        System.out.println("ratio = Strata median / raw PostgreSQL COPY median of the same rows, measured in this run.");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void say(String line) {
        System.err.println(line);
    }
}
