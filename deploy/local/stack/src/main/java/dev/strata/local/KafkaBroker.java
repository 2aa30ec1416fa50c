package dev.strata.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run from the Kafka
 * artifacts on Maven Central. Its log directory survives restarts: storage is formatted only once.
 */
public final class KafkaBroker implements AutoCloseable {

    private final JavaProcess process;
    private final int port;

    private KafkaBroker(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param dataDir        holds server.properties, the KRaft log directory and the broker's log file
     * @param port           the client listener
     * @param controllerPort the KRaft controller listener
     * @param partitions     default partition count of topics created without one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, int partitions) {
        try {
            Files.createDirectories(dataDir);
            Path logDirs = dataDir.resolve("kraft-logs");
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(logDirs, port, controllerPort, partitions));
            if (!Files.exists(logDirs.resolve("meta.properties"))) {
                JavaProcess.runToCompletion("kafka-storage-format", Classpaths.KAFKA_BROKER,
                        "kafka.tools.StorageTool",
                        List.of("format", "-t", newClusterId(), "-c", config.toString(), "--ignore-formatted"),
                        dataDir.resolve("format.log"), Duration.ofSeconds(60));
            }
            JavaProcess broker = JavaProcess.start("kafka", Classpaths.KAFKA_BROKER,
                    List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info"),
                    "kafka.Kafka", List.of(config.toString()), dataDir.resolve("broker.log"));
            broker.awaitReady(() -> broker.logContains("Kafka Server started") && JavaProcess.portOpen(port),
                    Duration.ofSeconds(90));
            return new KafkaBroker(broker, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String serverProperties(Path logDirs, int port, int controllerPort, int partitions) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirs,
                "num.partitions=" + partitions,
                // Strata creates its topic explicitly, with its partition count; a typo must not create another.
                "auto.create.topics.enable=false",
                // Keep everything by default: consumers rebuild their state by replaying the topic.
                "log.retention.hours=-1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    /** A random KRaft cluster id; never starting with '-', which the storage tool would read as an option. */
    private static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.close(Duration.ofSeconds(30));
    }
}
