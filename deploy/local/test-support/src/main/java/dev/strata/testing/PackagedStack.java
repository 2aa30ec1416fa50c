package dev.strata.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.local.FreePorts;
import java.io.IOException;
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
 * The four PACKAGED services ({@code <service>-service/target/quarkus-app}), each a process of its own with a
 * bounded heap, on the test JVM's PostgreSQL database, Kafka broker and S3 server, wired to each other as deployed:
 * ingest reserving quota at quota, quota reconciling against ingest, metrics and archival asking quota. Modules that
 * test what is shipped across services (the hostile corpus, the console, the CLI, deploy checks) share it; one more
 * packaged app of the build (the console) can join with {@link #launchExtra}. A service found dead or unhealthy can
 * be restarted on the same port.
 *
 * <p>The jars are found through the system properties {@code <service>.app} (set by failsafe) or, failing that,
 * relative to the module's directory.
 */
public final class PackagedStack implements AutoCloseable {

    public static final List<String> SERVICES = List.of("ingest", "quota", "metrics", "archival");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestEndpoints servers;
    private final Path logs;
    private final String heap;
    private final String serviceToken = TestTokens.service();
    private final Map<String, Path> jars = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraProperties = new LinkedHashMap<>();
    private final Map<String, PackagedService> running = new LinkedHashMap<>();
    private final Thread stopOnExit = new Thread(this::close, "stop-packaged-stack");

    /** {@code heap} in {@code -Xmx} syntax ({@code 384m}); logs go to {@code logs/<service>-<port>.log}. */
    public PackagedStack(TestEndpoints servers, Path logs, String heap) {
        this.servers = servers;
        this.logs = logs;
        this.heap = heap;
        for (String name : SERVICES) {
            jars.put(name, jar(name));
            ports.put(name, freePort());
            extraProperties.put(name, new LinkedHashMap<>());
        }
        // A killed failsafe JVM must not leave the services behind.
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** A packaged app of this build: {@code -D<name>.app}, else {@code ../<name>-service/...} or {@code ../<name>/...}. */
    public static Path jar(String name) {
        String configured = System.getProperty(name + ".app");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path service = Path.of("..", name + "-service", "target", "quarkus-app", "quarkus-run.jar");
        Path module = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        return (Files.exists(service) || !Files.exists(module) ? service : module)
                .toAbsolutePath()
                .normalize();
    }

    /** One more system property for {@code service} (set before {@link #start()} or a restart). */
    public PackagedStack with(String service, String property, String value) {
        extraProperties.get(service).put(property, value);
        return this;
    }

    /** The jars that are missing, to skip with a clear message rather than fail on a partial build. */
    public List<Path> missingJars() {
        return jars.values().stream().filter(jar -> !Files.isRegularFile(jar)).toList();
    }

    /** ingest first (archival reads its event table), then the other three together. */
    public PackagedStack start() {
        launch("ingest").awaitReady();
        List.of("quota", "metrics", "archival").forEach(this::launch);
        List.of("quota", "metrics", "archival")
                .forEach(name -> running.get(name).awaitReady());
        return this;
    }

    /**
     * Starts one more packaged app of the build on a free port with {@code properties} and the test servers'
     * addresses, and waits until it is ready.
     */
    public PackagedService launchExtra(String name, Path jar, Map<String, String> properties) {
        int port = freePort();
        ports.put(name, port);
        PackagedService service = PackagedService.start(name, jar, port, servers, heap, properties, Map.of(), logs)
                .awaitReady();
        running.put(name, service);
        return service;
    }

    private PackagedService launch(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        // Metering writes api_call events every window; 1 s instead of 5 s lets a run settle sooner.
        properties.put("strata.metering.window", "1s");
        properties.put("strata.s3.endpoint", servers.s3Endpoint());
        properties.put("strata.s3.access-key", servers.s3AccessKey());
        properties.put("strata.s3.secret-key", servers.s3SecretKey());
        environment.put("STRATA_SERVICE_TOKEN", serviceToken);
        switch (name) {
            case "ingest" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                properties.put(
                        "strata.ingest.imports.spool-directory",
                        logs.resolve("spool").toAbsolutePath().toString());
            }
            case "quota" -> properties.put("quarkus.rest-client.ingest.url", base("ingest"));
            case "metrics", "archival" -> properties.put("quarkus.rest-client.quota.url", base("quota"));
            default -> throw new IllegalArgumentException("unknown service " + name);
        }
        properties.putAll(extraProperties.get(name));
        PackagedService service = PackagedService.start(
                name, jars.get(name), ports.get(name), servers, heap, properties, environment, logs);
        running.put(name, service);
        return service;
    }

    private int freePort() {
        int port = FreePorts.next();
        while (ports.containsValue(port)) {
            port = FreePorts.next();
        }
        return port;
    }

    public String base(String name) {
        return "http://127.0.0.1:" + ports.get(name);
    }

    public int port(String name) {
        return ports.get(name);
    }

    public PackagedService service(String name) {
        return running.get(name);
    }

    public TestEndpoints servers() {
        return servers;
    }

    /** The services that are not both live and ready now, each with what is wrong. */
    public Map<String, String> unhealthy() {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (String name : SERVICES) {
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
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base(name) + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"")
                    ? null
                    : response.statusCode() + " " + downChecks(response.body());
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The checks a health answer reports DOWN, with their data, on one line. */
    static String downChecks(String health) {
        try {
            JsonNode checks = MAPPER.readTree(health).path("checks");
            List<String> down = new ArrayList<>();
            for (JsonNode check : checks) {
                if (!"UP".equals(check.path("status").asText())) {
                    down.add(check.path("name").asText() + " DOWN " + check.path("data"));
                }
            }
            return RawHttp.abbreviate(down.isEmpty() ? health : String.join("; ", down), 300);
        } catch (IOException e) {
            return RawHttp.abbreviate(health, 300);
        }
    }

    /** Services that logged an OutOfMemoryError in this run of their process. */
    public Set<String> outOfMemory() {
        Set<String> names = new HashSet<>();
        running.forEach((name, service) -> {
            if (service.logContains("OutOfMemoryError")) {
                names.add(name);
            }
        });
        return names;
    }

    /** Kills the service (it is broken anyway) and starts it again on the same port. */
    public void restart(String name) {
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
