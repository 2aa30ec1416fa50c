package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.local.DevTokens;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The running Strata the benchmark talks to: the four services' base URLs, an admin+service token minted with the
 * local stack's key, one HTTP/1.1 client, and JDBC connections to the same PostgreSQL for the raw baselines.
 * Configured by environment variables (defaults are those of {@code deploy/local/run.sh}).
 */
final class Stack {

    static final ObjectMapper JSON = new ObjectMapper();

    final String ingest;
    final String quota;
    final String metrics;
    final String archival;
    final String pgUrl;
    final String pgUser;
    final String pgPassword;
    final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** The stack of {@code deploy/local/run.sh}, or wherever the environment points. */
    Stack() {
        this(
                env("STRATA_INGEST_URL", "http://127.0.0.1:8081"),
                env("STRATA_QUOTA_URL", "http://127.0.0.1:8082"),
                env("STRATA_METRICS_URL", "http://127.0.0.1:8083"),
                env("STRATA_ARCHIVAL_URL", "http://127.0.0.1:8084"),
                env("STRATA_PG_URL", "jdbc:postgresql://127.0.0.1:5432/strata"),
                env("STRATA_PG_USER", "postgres"),
                env("STRATA_PG_PASSWORD", ""),
                Path.of(env("STRATA_HOME", ".strata")).resolve("keys"));
    }

    Stack(
            String ingest,
            String quota,
            String metrics,
            String archival,
            String pgUrl,
            String pgUser,
            String pgPassword,
            Path keys) {
        this.ingest = ingest;
        this.quota = quota;
        this.metrics = metrics;
        this.archival = archival;
        this.pgUrl = pgUrl;
        this.pgUser = pgUser;
        this.pgPassword = pgPassword;
        this.token = DevTokens.inDirectory(keys)
                .mint("benchmark", List.of(), List.of("admin", "service"), Duration.ofHours(4));
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(pgUrl, pgUser, pgPassword);
    }

    /** A new group on {@code plan}, created through ingest-service. */
    UUID createGroup(String name, String plan) throws IOException, InterruptedException {
        HttpResponse<String> created = send(
                HttpRequest.newBuilder(URI.create(ingest + "/groups"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + name + "\",\"plan\":\"" + plan + "\"}")),
                201);
        return UUID.fromString(JSON.readTree(created.body()).get("id").asText());
    }

    HttpResponse<String> post(String url, String json, int expected) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                expected);
    }

    /**
     * POSTs to ingest-service, retrying for a minute while a service restarts: connection refused (nothing was
     * sent) or 503 (ingest could not reach quota-service, so it wrote nothing). With an {@code idempotencyKey}
     * (or null) even a repeat of a batch that was written writes nothing twice.
     */
    HttpResponse<String> postRetrying(String url, String json, String idempotencyKey)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            try {
                return send(request, 200);
            } catch (ConnectException | IllegalStateException e) {
                boolean unavailable =
                        e instanceof ConnectException || e.getMessage().contains(" answered 503:");
                if (!unavailable || attempt == 60) {
                    throw e;
                }
                Benchmark.say("unavailable, retrying: "
                        + e.getMessage().lines().findFirst().orElse(""));
                Thread.sleep(1000);
            }
        }
    }

    /** The ids a batch created, in input order; every item of a benchmark's batch must have been created. */
    static List<String> createdIds(HttpResponse<String> answer) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : JSON.readTree(answer.body()).get("created")) {
            if (id.isNull()) {
                throw new IllegalStateException("an item of a benchmark batch failed: " + answer.body());
            }
            ids.add(id.asText());
        }
        return ids;
    }

    /** The position a batch answered (its last event's id), for {@code ?position=} reads; null if none. */
    static String position(HttpResponse<String> answer) throws IOException {
        JsonNode position = JSON.readTree(answer.body()).get("position");
        return position == null || position.isNull() ? null : position.asText();
    }

    HttpResponse<String> get(String url, int expected) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), expected);
    }

    JsonNode getJson(String url) throws IOException, InterruptedException {
        return JSON.readTree(get(url, 200).body());
    }

    /** Sends with the benchmark's token; any other status than {@code expected} stops the benchmark. */
    HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpRequest built = request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30))
                .build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != expected) {
            String body = response.body();
            throw new IllegalStateException(built.method() + " " + built.uri() + " answered " + response.statusCode()
                    + ": " + (body.length() > 600 ? body.substring(0, 600) + "..." : body));
        }
        return response;
    }

    /** Heap used by a service, from its Prometheus endpoint, in MB (-1 when it cannot be read). */
    double heapUsedMb(String service) {
        try {
            String metrics = send(
                            HttpRequest.newBuilder(URI.create(service + "/q/metrics"))
                                    .header("Accept", "text/plain")
                                    .GET(),
                            200)
                    .body();
            double bytes = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return bytes / (1024 * 1024);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
