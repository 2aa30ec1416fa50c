package dev.strata.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Apache Kafka in KRaft mode, run from the Kafka artifacts on Maven Central: one node, or three. Every node is
 * broker and controller in one process and votes in the controller quorum, so three nodes keep a quorum, and
 * topics replicated three times with a minimum of two in sync keep taking {@code acks=all} writes, while one node
 * is down. Log directories survive restarts: each node is formatted once, all with the cluster id kept in
 * {@code cluster.id} beside them.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xms128m",
            "-Xmx512m",
            "-XX:+UseG1GC",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");

    /** Where one node lives and listens; node ids are index + 1. */
    private record Node(int id, Path dir, int port, int controllerPort) {

        Path config() {
            return dir.resolve("server.properties");
        }

        Path logDirs() {
            return dir.resolve("kraft-logs");
        }
    }

    private final List<Node> nodes;
    private final JavaProcess[] processes;

    private KafkaCluster(List<Node> nodes) {
        this.nodes = nodes;
        this.processes = new JavaProcess[nodes.size()];
    }

    /**
     * @param dataDir    holds {@code cluster.id} and one directory {@code node-<n>} per node (server.properties,
     *                   the KRaft log directory, broker.log)
     * @param nodes      1 or 3
     * @param firstPort  node i listens for clients on {@code firstPort + 2i}, for controllers on the port after
     * @param partitions default partition count of topics created without one
     */
    public static KafkaCluster start(Path dataDir, int nodes, int firstPort, int partitions) {
        if (nodes != 1 && nodes != 3) {
            throw new IllegalArgumentException("a Kafka cluster of 1 or 3 nodes, not " + nodes);
        }
        List<Node> list = IntStream.range(0, nodes)
                .mapToObj(i ->
                        new Node(i + 1, dataDir.resolve("node-" + (i + 1)), firstPort + 2 * i, firstPort + 2 * i + 1))
                .toList();
        return start(dataDir, list, partitions);
    }

    /** One node whose files are directly in {@code dataDir}, on ports of the caller's choice ({@link KafkaBroker}). */
    static KafkaCluster single(Path dataDir, int port, int controllerPort, int partitions) {
        return start(dataDir, List.of(new Node(1, dataDir, port, controllerPort)), partitions);
    }

    private static KafkaCluster start(Path dataDir, List<Node> nodes, int partitions) {
        KafkaCluster cluster = new KafkaCluster(nodes);
        try {
            Files.createDirectories(dataDir);
            for (Node node : nodes) {
                Files.createDirectories(node.dir());
                Files.writeString(node.config(), serverProperties(node, nodes, partitions));
            }
            format(dataDir, nodes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // All at once: a node's broker waits for the controller quorum, which needs a majority of the nodes.
            for (int i = 0; i < nodes.size(); i++) {
                cluster.launch(i);
            }
            for (int i = 0; i < nodes.size(); i++) {
                cluster.awaitReady(i);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Formats the nodes not formatted yet, concurrently, with the cluster's one id. */
    private static void format(Path dataDir, List<Node> nodes) throws IOException {
        List<Node> unformatted = nodes.stream()
                .filter(node -> !Files.exists(node.logDirs().resolve("meta.properties")))
                .toList();
        if (unformatted.isEmpty()) {
            return;
        }
        String clusterId = clusterId(dataDir, nodes);
        // Side by side: each is a JVM of its own that takes a few seconds to start.
        ExecutorService formatting = Executors.newFixedThreadPool(unformatted.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Node node : unformatted) {
                done.add(formatting.submit(() -> JavaProcess.runToCompletion(
                        "kafka-storage-format-" + node.id(),
                        Classpaths.KAFKA_BROKER,
                        "kafka.tools.StorageTool",
                        List.of("format", "-t", clusterId, "-c", node.config().toString(), "--ignore-formatted"),
                        node.dir().resolve("format.log"),
                        Duration.ofSeconds(60))));
            }
            for (Future<?> format : done) {
                format.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka's storage", e);
        } finally {
            formatting.shutdownNow();
        }
    }

    /**
     * The id in {@code cluster.id}; else the one a formatted node holds (a directory from before that file); else a
     * new one. Written back, so a node whose log directory was removed joins the same cluster again.
     */
    private static String clusterId(Path dataDir, List<Node> nodes) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file) && !Files.readString(file).isBlank()) {
            return Files.readString(file).trim();
        }
        String id = null;
        for (Node node : nodes) {
            Path meta = node.logDirs().resolve("meta.properties");
            if (Files.exists(meta)) {
                Properties properties = new Properties();
                try (var in = Files.newInputStream(meta)) {
                    properties.load(in);
                }
                id = properties.getProperty("cluster.id");
                break;
            }
        }
        if (id == null) {
            id = newClusterId();
        }
        Files.writeString(file, id + "\n");
        return id;
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

    private static String serverProperties(Node node, List<Node> all, int partitions) {
        // One node takes what it can (replicas 1); three keep every write on two nodes at least, so that losing
        // one loses nothing and stops nothing.
        int replicas = all.size() == 1 ? 1 : 3;
        int minInsync = all.size() == 1 ? 1 : 2;
        String voters = all.stream()
                .map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=" + node.id(),
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + node.port() + ",CONTROLLER://127.0.0.1:" + node.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + node.port(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + node.logDirs(),
                "num.partitions=" + partitions,
                // Strata creates its topic explicitly, with its partition count; a typo must not create another.
                "auto.create.topics.enable=false",
                // Keep everything by default: consumers rebuild their state by replaying the topic.
                "log.retention.hours=-1",
                "offsets.topic.replication.factor=" + replicas,
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInsync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInsync,
                "group.initial.rebalance.delay.ms=0"));
        if (all.size() > 1) {
            // A killed node's leaderships move once the controller stops hearing from it: after 3 s rather than
            // Kafka's 9, so producers wait less while a node is down.
            lines.add("broker.heartbeat.interval.ms=500");
            lines.add("broker.session.timeout.ms=3000");
            lines.add("default.replication.factor=" + replicas);
            lines.add("min.insync.replicas=" + minInsync);
            // A replica that fell behind never becomes leader: the writes only it lacks would be lost.
            lines.add("unclean.leader.election.enable=false");
        }
        lines.add("");
        return String.join("\n", lines);
    }

    private void launch(int node) {
        Node n = nodes.get(node);
        processes[node] = JavaProcess.start(
                "kafka-" + n.id(),
                Classpaths.KAFKA_BROKER,
                JVM_OPTIONS,
                "kafka.Kafka",
                List.of(n.config().toString()),
                n.dir().resolve("broker.log"));
    }

    private void awaitReady(int node) {
        JavaProcess process = processes[node];
        int port = nodes.get(node).port();
        process.awaitReady(() -> process.logContains("Kafka Server started") && JavaProcess.portOpen(port), READY);
    }

    /** Every node's client listener, comma-separated. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public int nodes() {
        return nodes.size();
    }

    /** The client port of a node (0-based). */
    public int port(int node) {
        return nodes.get(node).port();
    }

    public boolean isAlive(int node) {
        JavaProcess process = process(node);
        return process != null && process.isAlive();
    }

    public long pid(int node) {
        return Optional.ofNullable(process(node))
                .map(JavaProcess::pid)
                .orElseThrow(() -> new IllegalStateException("node " + node + " was never started"));
    }

    /** Kills a node as a crash would (SIGKILL) and returns once it has exited. */
    public void kill(int node) {
        JavaProcess process = process(node);
        if (process != null) {
            process.kill();
        }
    }

    /** Stops a node gracefully (SIGTERM: it hands its leaderships over), killing it after a grace period. */
    public void stop(int node) {
        JavaProcess process = process(node);
        if (process != null) {
            process.close(STOP_GRACE);
        }
    }

    /**
     * Starts a stopped or killed node again on its ports and directory and waits until it is ready; with the other
     * nodes up, it rejoins the quorum and its replicas catch up.
     */
    public synchronized void start(int node) {
        if (isAlive(node)) {
            throw new IllegalStateException("node " + node + " is running");
        }
        launch(node);
        awaitReady(node);
    }

    private synchronized JavaProcess process(int node) {
        if (node < 0 || node >= nodes.size()) {
            throw new IndexOutOfBoundsException("node " + node + " of a cluster of " + nodes.size());
        }
        return processes[node];
    }

    /**
     * Stops every node, all at once: stopped one after another, the last ones would wait for a controller quorum
     * that is gone before they finish their controlled shutdown.
     */
    @Override
    public synchronized void close() {
        for (JavaProcess process : processes) {
            if (process != null) {
                process.terminate();
            }
        }
        for (JavaProcess process : processes) {
            if (process != null) {
                process.close(STOP_GRACE);
            }
        }
    }
}
