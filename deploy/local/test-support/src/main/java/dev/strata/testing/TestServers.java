package dev.strata.testing;

import dev.strata.local.DevTokens;
import dev.strata.local.FreePorts;
import dev.strata.local.KafkaBroker;
import dev.strata.local.Postgres;
import dev.strata.local.S3Server;
import java.nio.file.Path;

/**
 * The real servers of one test JVM: a Kafka broker, an S3 server, a fresh PostgreSQL database and a token key
 * pair, started on first use and stopped when the JVM ends.
 *
 * <p>Quarkus loads test resources in more than one class loader over a run, so what was started is recorded in
 * system properties (one JVM, one set of servers) rather than in static fields. {@code STRATA_TEST_KAFKA} and
 * {@code STRATA_TEST_S3} point tests at servers that are already running, to save their start-up.
 */
public final class TestServers {

    static final String KAFKA = "strata.test.kafka.bootstrap";
    static final String S3 = "strata.test.s3.endpoint";
    static final String DATABASE = "strata.test.database";
    static final String KEYS = "strata.test.keys";
    static final String KAFKA_DIR = "strata.test.kafka.dir";
    static final String KAFKA_PID = "strata.test.kafka.pid";

    private TestServers() {}

    public static synchronized TestEndpoints ensureStarted() {
        if (System.getProperty(DATABASE) == null) {
            startAll();
        }
        Postgres postgres = Postgres.fromEnvironment();
        String database = System.getProperty(DATABASE);
        return new TestEndpoints(
                System.getProperty(KAFKA),
                System.getProperty(S3),
                S3Server.DEFAULT_ACCESS_KEY,
                S3Server.DEFAULT_SECRET_KEY,
                postgres.jdbcUrl(database),
                postgres.reactiveUrl(database),
                postgres.user(),
                postgres.password(),
                Path.of(System.getProperty(KEYS)));
    }

    /** Stops the test JVM's broker, as an outage would; {@link #startKafka()} brings the same one back. */
    public static synchronized void stopKafka() {
        String pid = System.getProperty(KAFKA_PID);
        if (pid == null) {
            throw new IllegalStateException("this JVM's broker is external (STRATA_TEST_KAFKA): cannot stop it");
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
            process.destroy();
            process.onExit()
                    .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                    .join();
        });
    }

    /** Starts the broker again on the same ports and log directory, so no data is lost. */
    public static synchronized void startKafka() {
        String[] where = System.getProperty(KAFKA_DIR).split("\\|");
        KafkaBroker broker =
                KafkaBroker.start(Path.of(where[0]), Integer.parseInt(where[1]), Integer.parseInt(where[2]), 3);
        System.setProperty(KAFKA_PID, Long.toString(broker.pid()));
    }

    private static void startAll() {
        Path work = Path.of("target", "strata-test").toAbsolutePath();
        Postgres postgres = Postgres.fromEnvironment().ensureRunning();
        String database = postgres.createFreshDatabase("strata_test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> postgres.dropDatabase(database), "drop-test-database"));

        String kafka = System.getenv("STRATA_TEST_KAFKA");
        if (kafka == null || kafka.isBlank()) {
            Path dir = work.resolve("kafka-" + ProcessHandle.current().pid());
            int port = FreePorts.next();
            int controllerPort = FreePorts.next();
            KafkaBroker broker = KafkaBroker.start(dir, port, controllerPort, 3);
            Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopKafka, "stop-test-kafka"));
            kafka = broker.bootstrapServers();
            System.setProperty(KAFKA_DIR, dir + "|" + port + "|" + controllerPort);
            System.setProperty(KAFKA_PID, Long.toString(broker.pid()));
        }
        String s3 = System.getenv("STRATA_TEST_S3");
        if (s3 == null || s3.isBlank()) {
            S3Server server =
                    S3Server.start(work.resolve("s3-" + ProcessHandle.current().pid()), FreePorts.next());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-test-s3"));
            s3 = server.endpoint();
        }
        Path keys = work.resolve("keys");
        DevTokens.inDirectory(keys);

        System.setProperty(KAFKA, kafka);
        System.setProperty(S3, s3);
        System.setProperty(KEYS, keys.toString());
        System.setProperty(DATABASE, database);
    }
}
