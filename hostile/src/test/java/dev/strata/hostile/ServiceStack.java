package dev.strata.hostile;

import dev.strata.testing.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.local.FreePorts;
import dev.strata.testing.PackagedService;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four PACKAGED services, each a process of its own with the local run's heap ({@code -Xmx384m}), on the test
 * JVM's PostgreSQL database, Kafka broker and S3Proxy: ingest reserving quota at quota, quota reconciling against
 * ingest, as deployed. A service found dead or unhealthy after a case is restarted on the same port, so the rest of
 * the corpus still runs against it.
 */
final class ServiceStack implements AutoCloseable {

    static final String HEAP = "384m";
    static final long HEAP_BYTES = 384L << 20;
    /**
     * Import bodies are capped at 4 GiB in production; the corpus lowers the cap to 32 MiB so that an oversize
     * chunked import needs 40 MB, not 4 GB. The behaviour under test (refused as the bytes arrive) is the same.
     */
    static final long IMPORT_CAP = 32L << 20;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final TestEndpoints servers;
    private final Path logs;
    private final Map<String, Path> jars = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, PackagedService> running = new LinkedHashMap<>();
    private final String serviceToken = TestTokens.service();
    private final Thread stopOnExit = new Thread(this::close, "hostile-stop-services");

    ServiceStack(TestEndpoints servers, Path logs) {
        this.servers = servers;
        this.logs = logs;
        for (String name : Corpus.SERVICES) {
            jars.put(name, Path.of(System.getProperty(name + ".app",
                    "../" + name + "-service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize());
            int port = FreePorts.next();
            while (ports.containsValue(port)) {
                port = FreePorts.next();
            }
            ports.put(name, port);
        }
        // A killed failsafe JVM must not leave four services behind.
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** The jars that are missing, to skip with a clear message rather than fail on a partial build. */
    List<Path> missingJars() {
        return jars.values().stream().filter(jar -> !Files.isRegularFile(jar)).toList();
    }

    /** ingest first (archival reads its event table), then the other three together. */
    void start() {
        launch("ingest").awaitReady();
        List.of("quota", "metrics", "archival").forEach(this::launch);
        List.of("quota", "metrics", "archival").forEach(name -> running.get(name).awaitReady());
    }

    private PackagedService launch(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        // Metering writes api_call events every window; 1 s instead of 5 s lets the run settle sooner.
        properties.put("strata.metering.window", "1s");
        switch (name) {
            case "ingest" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                properties.put("strata.ingest.imports.max-body-bytes", Long.toString(IMPORT_CAP));
                properties.put("strata.ingest.imports.spool-directory", logs.resolve("spool").toAbsolutePath()
                        .toString());
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
            }
            case "quota" -> {
                properties.put("quarkus.rest-client.ingest.url", base("ingest"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
            }
            case "archival" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
                properties.put("strata.s3.endpoint", servers.s3Endpoint());
                properties.put("strata.s3.access-key", servers.s3AccessKey());
                properties.put("strata.s3.secret-key", servers.s3SecretKey());
                // No run at 02:30 in the middle of the corpus: its rows would count as written.
                properties.put("strata.archival.schedule.enabled", "false");
            }
            case "metrics" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
            }
            default -> throw new IllegalArgumentException("unknown service " + name);
        }
        PackagedService service = PackagedService.start(name, jars.get(name), ports.get(name), servers, HEAP,
                properties, environment, logs);
        running.put(name, service);
        return service;
    }

    String base(String name) {
        return "http://127.0.0.1:" + ports.get(name);
    }

    int port(String name) {
        return ports.get(name);
    }

    PackagedService service(String name) {
        return running.get(name);
    }

    /** The services that are not both live and ready now, each with what is wrong. */
    Map<String, String> unhealthy() {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (String name : Corpus.SERVICES) {
            PackagedService service = running.get(name);
            if (service == null || !service.isAlive()) {
                wrong.put(name, "the process is gone");
                continue;
            }
            for (String check : List.of("/q/health/live", "/q/health/ready")) {
                String answer = health(name, check);
                if (answer != null) {
                    wrong.put(name, check + " " + answer);
                    break;
                }
            }
        }
        return wrong;
    }

    /** Null when UP, else what came back. */
    private String health(String name, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base(name) + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"") ? null
                    : response.statusCode() + " " + downChecks(response.body());
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The checks a health answer reports DOWN, with their data, on one line. */
    static String downChecks(String health) {
        try {
            JsonNode checks = Corpus.MAPPER.readTree(health).path("checks");
            List<String> down = new ArrayList<>();
            for (JsonNode check : checks) {
                if (!"UP".equals(check.path("status").asText())) {
                    down.add(check.path("name").asText() + " DOWN " + check.path("data"));
                }
            }
            return RawHttp.abbreviate(down.isEmpty() ? health : String.join("; ", down), 300);
        } catch (java.io.IOException e) {
            return RawHttp.abbreviate(health, 300);
        }
    }

    /** Services that logged an OutOfMemoryError in this run of their process. */
    Set<String> outOfMemory() {
        Set<String> names = new HashSet<>();
        running.forEach((name, service) -> {
            if (service.logContains("OutOfMemoryError")) {
                names.add(name);
            }
        });
        return names;
    }

    /** Kills the service (it is broken anyway) and starts it again on the same port. */
    void restart(String name) {
        PackagedService old = running.get(name);
        if (old != null) {
            old.kill();
            old.stop(Duration.ofSeconds(5));
        }
        launch(name).awaitReady();
    }

    @Override
    public void close() {
        for (PackagedService service : running.values()) {
            // SIGTERM first, so the consumers leave their groups; SIGKILL if still alive after 10 s
            service.stop(Duration.ofSeconds(10));
        }
        running.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // called from the hook itself
        }
    }
}
