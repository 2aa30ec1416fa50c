package dev.strata.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Strata on this machine: PostgreSQL (already there, or the local cluster started), a Kafka broker (or a
 * three-node cluster: {@code STRATA_KAFKA_BROKERS=3}) and S3Proxy from Maven artifacts, and the four services from
 * their packaged jars. Everything it keeps lives under the home folder ({@code .strata} by default), so data
 * survives a restart. Ctrl-C stops it all.
 */
public final class StrataLocal {

    /** Module, HTTP port: the four services and the console (whose gateway defaults to these ports). */
    private static final Map<String, Integer> SERVICES = Map.of(
            "ingest-service", 8081,
            "quota-service", 8082,
            "metrics-service", 8083,
            "archival-service", 8084,
            "console", 8080);

    private static final List<String> START_ORDER =
            List.of("ingest-service", "quota-service", "metrics-service", "archival-service", "console");

    private final Path root;
    private final Path home;
    private final List<AutoCloseable> running = new ArrayList<>();

    private StrataLocal(Path root, Path home) {
        this.root = root;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path home =
                Path.of(env("STRATA_HOME", root.resolve(".strata").toString())).toAbsolutePath();
        StrataLocal local = new StrataLocal(root, home);
        Runtime.getRuntime().addShutdownHook(new Thread(local::stopAll, "strata-local-stop"));
        try {
            local.startAll();
        } catch (RuntimeException e) {
            System.err.println("\nStrata did not start: " + e.getMessage());
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    private void startAll() throws IOException {
        Files.createDirectories(home);
        say("Strata home: " + home);

        Postgres postgres = Postgres.fromEnvironment().ensureRunning();
        String database = env("STRATA_PG_DATABASE", "strata");
        postgres.createDatabaseIfMissing(database);
        say("PostgreSQL: " + postgres.jdbcUrl(database));

        int kafkaPort = Integer.parseInt(env("STRATA_KAFKA_PORT", "9092"));
        int partitions = Integer.parseInt(env("STRATA_KAFKA_PARTITIONS", "6"));
        String brokers = env("STRATA_KAFKA_BROKERS", "1").trim();
        String kafkaBootstrap;
        // The event topic's durability follows the brokers: one copy on one broker; on three, three copies of
        // which two must hold a write, so one broker may be killed without losing or refusing an event.
        String replicationFactor;
        String minInsyncReplicas;
        if (brokers.equals("1")) {
            KafkaBroker kafka = KafkaBroker.start(
                    home.resolve("kafka"),
                    kafkaPort,
                    Integer.parseInt(env("STRATA_KAFKA_CONTROLLER_PORT", "9093")),
                    partitions);
            running.add(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
            replicationFactor = "1";
            minInsyncReplicas = "1";
        } else if (brokers.equals("3")) {
            KafkaCluster kafka = KafkaCluster.start(home.resolve("kafka-cluster"), 3, kafkaPort, partitions);
            running.add(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
            replicationFactor = "3";
            minInsyncReplicas = "2";
        } else {
            throw new IllegalStateException("STRATA_KAFKA_BROKERS must be 1 or 3, not '" + brokers + "'");
        }
        say("Kafka:      " + kafkaBootstrap + " (" + brokers + (brokers.equals("1") ? " broker" : " brokers")
                + ", event topic replication " + replicationFactor + ", min ISR " + minInsyncReplicas + ")");

        S3Server s3 = S3Server.start(home.resolve("s3"), Integer.parseInt(env("STRATA_S3_PORT", "9000")));
        running.add(s3);
        say("S3:         " + s3.endpoint() + " (access key " + s3.accessKey() + ")");

        DevTokens tokens = DevTokens.inDirectory(home.resolve("keys"));
        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        environment.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        environment.put("STRATA_EVENTS_TOPIC_REPLICATION_FACTOR", replicationFactor);
        environment.put("STRATA_EVENTS_TOPIC_MIN_INSYNC_REPLICAS", minInsyncReplicas);
        environment.put("STRATA_EVENTS_TOPIC_RETENTION_MS", "-1");
        environment.put(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                tokens.publicKeyFile().toUri().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
        environment.put(
                "STRATA_SERVICE_TOKEN",
                tokens.mint("strata-services", List.of(), List.of("service"), Duration.ofDays(365)));
        environment.put("STRATA_S3_ENDPOINT", s3.endpoint());
        environment.put("STRATA_S3_ACCESS_KEY", s3.accessKey());
        environment.put("STRATA_S3_SECRET_KEY", s3.secretKey());

        writeServiceEnvironment(environment);
        List<String> selected = selectedServices();
        List<JavaProcess> services = new ArrayList<>();
        for (String service : selected) {
            services.add(startService(service, SERVICES.get(service), environment));
        }
        for (JavaProcess service : services) {
            int port = SERVICES.get(service.name());
            service.awaitReady(() -> ready(port), Duration.ofSeconds(120));
        }

        say("");
        for (String service : selected) {
            int port = SERVICES.get(service);
            say(
                    service.equals("console")
                            ? String.format(
                                    "%-17s http://127.0.0.1:%d   (sign in with the development JWT below)",
                                    service, port)
                            : String.format(
                                    "%-17s http://127.0.0.1:%d   (Swagger UI: http://127.0.0.1:%d/q/swagger-ui)",
                                    service, port, port));
        }
        say("Logs:             " + home.resolve("logs"));
        say("Service env:      " + home.resolve("service.env") + " (to run a service yourself against this stack)");
        say("");
        say("Development JWT (role admin, valid 30 days):");
        say(tokens.mint("dev-admin", List.of(), List.of("admin", "service"), Duration.ofDays(30)));
        say("");
        say("Strata is running. Ctrl-C stops it.");
    }

    /**
     * {@code STRATA_SERVICES}: which services to start (comma-separated module names, {@code all} by default,
     * {@code none} for the servers only), so that one service can run from an IDE or a fresh build against the
     * rest of the stack.
     */
    private static List<String> selectedServices() {
        String wanted = env("STRATA_SERVICES", "all").trim();
        if (wanted.equals("all")) {
            return START_ORDER;
        }
        if (wanted.equals("none")) {
            return List.of();
        }
        List<String> selected = new ArrayList<>();
        for (String name : wanted.split(",")) {
            String service = SERVICES.containsKey(name.trim()) || name.trim().endsWith("-service")
                    ? name.trim()
                    : name.trim() + "-service";
            if (!SERVICES.containsKey(service)) {
                throw new IllegalStateException("STRATA_SERVICES names an unknown service '" + name.trim()
                        + "' (known: " + String.join(", ", START_ORDER) + ")");
            }
            selected.add(service);
        }
        return START_ORDER.stream().filter(selected::contains).toList();
    }

    /**
     * Writes the environment the services get (database, broker, S3, JWT key, service token) as
     * {@code export} lines to {@code service.env}, so a service started by hand joins this stack:
     * {@code . .strata/service.env; QUARKUS_HTTP_PORT=8084 java -jar archival-service/target/quarkus-app/quarkus-run.jar}.
     */
    private void writeServiceEnvironment(Map<String, String> environment) throws IOException {
        StringBuilder lines =
                new StringBuilder("# written by deploy/local/run.sh: the environment of the local services\n");
        environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> lines.append("export ")
                        .append(e.getKey())
                        .append("='")
                        .append(e.getValue())
                        .append("'\n"));
        Path file = home.resolve("service.env");
        Files.writeString(file, lines);
    }

    private JavaProcess startService(String service, int port, Map<String, String> environment) {
        Path app = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: build first (mvn -DskipTests install)");
        }
        Map<String, String> env = new HashMap<>(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // The whole heap from the start: a small young generation collects every few hundred milliseconds
        // under load, and those pauses show in the latency tails.
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms384m", "-Xmx384m"));
        command.addAll(ServiceJvm.OPTIONS);
        command.addAll(List.of("-jar", app.toString()));
        JavaProcess process =
                JavaProcess.start(service, command, env, home.resolve("logs").resolve(service + ".log"));
        running.add(process);
        return process;
    }

    private static boolean ready(int port) {
        return ServiceJvm.ready("http://127.0.0.1:" + port);
    }

    /** Services first, then the servers they use, newest first. */
    private void stopAll() {
        List<AutoCloseable> reversed = new ArrayList<>(running);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e.getMessage());
            }
        }
        if (!running.isEmpty()) {
            say("Strata stopped.");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
