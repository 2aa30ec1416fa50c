package dev.strata.benchmark;

import dev.strata.local.DevTokens;
import dev.strata.local.FreePorts;
import dev.strata.local.KafkaCluster;
import dev.strata.local.Postgres;
import dev.strata.local.S3Server;
import dev.strata.testing.PackagedService;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole Strata the fault suite breaks: a fresh PostgreSQL database, Kafka, S3Proxy and the four PACKAGED
 * services, each in a process of its own on a free port of 127.0.0.1, all owned by this JVM so that any of them can
 * be killed with SIGKILL and started again on the same port and data. Nothing here talks to anything but
 * 127.0.0.1; the database is dropped at the end. Kafka and S3Proxy start from empty data directories too: the stream
 * and its archive must begin at offset 0 with the database, not hold an earlier run's records (its retention
 * scenario leaves the topic truncated).
 */
final class FaultStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("ingest", "quota", "metrics", "archival");
    private static final String HEAP = "384m";

    private final Path work;
    private final Postgres postgres;
    private final String database;
    private final KafkaCluster kafka;
    private final Path s3Dir;
    private final int s3Port;
    private S3Server s3;
    private final Path keys;
    private final String serviceToken;
    private final Map<String, Path> jars = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, PackagedService> running = new LinkedHashMap<>();
    private final Thread stopOnExit = new Thread(this::close, "faults-stop-stack");

    private FaultStack(Path root, Path work, int brokers) {
        this.work = work;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        postgres = Postgres.fromEnvironment().ensureRunning();
        database = postgres.createFreshDatabase("strata_faults");
        kafka = KafkaCluster.start(emptied(work.resolve("kafka")), brokers, FreePorts.consecutive(2 * brokers), 6);
        s3Dir = emptied(work.resolve("s3"));
        s3Port = FreePorts.next();
        s3 = S3Server.start(s3Dir, s3Port);
        keys = work.resolve("keys");
        DevTokens tokens = DevTokens.inDirectory(keys);
        serviceToken = tokens.mint("strata-services", List.of(), List.of("service"), Duration.ofDays(1));
        for (String name : SERVICES) {
            jars.put(name, root.resolve(name + "-service/target/quarkus-app/quarkus-run.jar"));
            int port = FreePorts.next();
            while (ports.containsValue(port) || port == s3Port) {
                port = FreePorts.next();
            }
            ports.put(name, port);
        }
    }

    /** Starts the servers and the four services, ingest first (archival reads its event table). */
    static FaultStack start(Path root, Path work, int brokers) {
        FaultStack stack = new FaultStack(root, work, brokers);
        try {
            for (Map.Entry<String, Path> jar : stack.jars.entrySet()) {
                if (!Files.isRegularFile(jar.getValue())) {
                    throw new IllegalStateException(jar.getValue() + " is missing: package the services first"
                            + " (mvn -B package -DskipTests)");
                }
            }
            stack.launch("ingest").awaitReady();
            List.of("quota", "metrics", "archival").forEach(stack::launch);
            List.of("quota", "metrics", "archival")
                    .forEach(name -> stack.running.get(name).awaitReady());
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private PackagedService launch(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        properties.put("strata.metering.window", "1s");
        // As production runs it: every partition on every broker, a write acknowledged by two (one when alone).
        properties.put("strata.events.topic.replication-factor", Integer.toString(kafka.nodes()));
        properties.put("strata.events.topic.min-insync-replicas", Integer.toString(Math.min(2, kafka.nodes())));
        switch (name) {
            case "ingest" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                properties.put(
                        "strata.ingest.imports.spool-directory",
                        work.resolve("spool").toString());
                properties.put("strata.ingest.imports.node", "faults-ingest");
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
            }
            case "quota" -> {
                properties.put("quarkus.rest-client.ingest.url", base("ingest"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
                s3(properties); // its rebuild reads the stream archive
            }
            case "archival" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
                s3(properties);
                properties.put("strata.archival.schedule.enabled", "false");
                // A run whose owner died is taken over after this long without a heartbeat (60 s by default).
                properties.put("strata.archival.heartbeat-interval", "2s");
                properties.put("strata.archival.heartbeat-timeout", "10s");
                // The stream archive trails the topic by at most this (60 s by default), which each check waits for.
                properties.put("strata.stream-archive.segment.max-age", "2s");
            }
            case "metrics" -> {
                properties.put("quarkus.rest-client.quota.url", base("quota"));
                environment.put("STRATA_SERVICE_TOKEN", serviceToken);
                s3(properties); // its rebuild reads the stream archive
            }
            default -> throw new IllegalArgumentException("unknown service " + name);
        }
        PackagedService service = PackagedService.start(
                name,
                jars.get(name),
                ports.get(name),
                endpoints(),
                HEAP,
                properties,
                environment,
                work.resolve("logs"));
        running.put(name, service);
        return service;
    }

    /** The directory, with whatever an earlier run left in it deleted. */
    private static Path emptied(Path dir) {
        if (Files.exists(dir)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not empty " + dir, e);
            }
        }
        return dir;
    }

    private void s3(Map<String, String> properties) {
        properties.put("strata.s3.endpoint", s3Endpoint());
        properties.put("strata.s3.access-key", S3Server.DEFAULT_ACCESS_KEY);
        properties.put("strata.s3.secret-key", S3Server.DEFAULT_SECRET_KEY);
    }

    /** A client of the stack's S3 server, to read the archive as an outside tool would. */
    S3Client s3Client() {
        return TestS3.client(endpoints());
    }

    private TestEndpoints endpoints() {
        return new TestEndpoints(
                kafka.bootstrapServers(),
                s3Endpoint(),
                S3Server.DEFAULT_ACCESS_KEY,
                S3Server.DEFAULT_SECRET_KEY,
                postgres.jdbcUrl(database),
                postgres.reactiveUrl(database),
                postgres.user(),
                postgres.password(),
                keys);
    }

    String base(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String jdbcUrl() {
        return postgres.jdbcUrl(database);
    }

    String dbUser() {
        return postgres.user();
    }

    String dbPassword() {
        return postgres.password();
    }

    Path keys() {
        return keys;
    }

    String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    int brokers() {
        return kafka.nodes();
    }

    String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed, the consumer never leaves its group. */
    void kill(String service) {
        PackagedService process = running.get(service);
        process.kill();
        process.stop(Duration.ofSeconds(10)); // reaps it
    }

    /** SIGTERM, as an operator's stop or a rolling deploy does. */
    void stop(String service) {
        running.get(service).stop(Duration.ofSeconds(30));
    }

    /** Starts the service again on its port; returns once it is ready (database and Kafka reachable). */
    void start(String service) {
        launch(service).awaitReady();
    }

    boolean alive(String service) {
        PackagedService process = running.get(service);
        return process != null && process.isAlive();
    }

    long pid(String service) {
        return running.get(service).pid();
    }

    void killBroker(int node) {
        kafka.kill(node);
    }

    void startBroker(int node) {
        kafka.start(node);
    }

    void killS3() {
        s3.kill();
    }

    void startS3() {
        s3 = S3Server.start(s3Dir, s3Port);
    }

    void restartPostgres() {
        postgres.restartLocalCluster();
    }

    @Override
    public void close() {
        running.values().forEach(service -> service.stop(Duration.ofSeconds(10)));
        running.clear();
        try {
            s3.close();
        } catch (RuntimeException e) {
            // already gone
        }
        kafka.close();
        try {
            postgres.dropDatabase(database);
        } catch (RuntimeException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // called from the hook itself
        }
    }
}
