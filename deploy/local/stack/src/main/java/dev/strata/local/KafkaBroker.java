package dev.strata.local;

import java.nio.file.Path;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process): a {@link KafkaCluster}
 * of one node whose files are directly in its data directory and whose controller port is the caller's choice.
 * Its log directory survives restarts: storage is formatted only once.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaCluster cluster;

    private KafkaBroker(KafkaCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * @param dataDir        holds server.properties, the KRaft log directory and the broker's log file
     * @param port           the client listener
     * @param controllerPort the KRaft controller listener
     * @param partitions     default partition count of topics created without one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, int partitions) {
        return new KafkaBroker(KafkaCluster.single(dataDir, port, controllerPort, partitions));
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public int port() {
        return cluster.port(0);
    }

    public long pid() {
        return cluster.pid(0);
    }

    public boolean isAlive() {
        return cluster.isAlive(0);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
