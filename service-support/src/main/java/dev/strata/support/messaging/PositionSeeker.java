package dev.strata.support.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Puts a consumer that is assigned partitions where its own database says it stopped ({@link StreamPositions}),
 * not where Kafka's committed offsets say: those may be ahead of what was applied (they are committed as a hint,
 * for operators' tools) or gone (Kafka drops an idle group's offsets after {@code offsets.retention.minutes}). A
 * partition with no position has had nothing applied yet and is read from its beginning; events met again are
 * recognised by id. Named {@value #NAME} for {@code consumer-rebalance-listener.name}.
 *
 * <p>It runs on the Kafka polling thread and may block it: while the database cannot be read, it keeps trying
 * rather than fall back on an offset that could skip records.
 */
@ApplicationScoped
@Identifier(PositionSeeker.NAME)
public class PositionSeeker implements KafkaConsumerRebalanceListener {

    public static final String NAME = "strata-stream-positions";

    private static final Logger LOG = Logger.getLogger(PositionSeeker.class);

    private final Pool pool;
    private final StreamPositions positions;
    private final StreamConfig config;

    public PositionSeeker(Pool pool, StreamPositions positions, StreamConfig config) {
        this.pool = pool;
        this.positions = positions;
        this.config = config;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> fromStart = new ArrayList<>();
        for (String topic :
                partitions.stream().map(TopicPartition::topic).distinct().toList()) {
            Map<Integer, Long> stored = read(topic);
            for (TopicPartition partition : partitions) {
                if (!partition.topic().equals(topic)) {
                    continue;
                }
                Long next = stored.get(partition.partition());
                if (next == null) {
                    fromStart.add(partition);
                } else {
                    consumer.seek(partition, next);
                }
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        LOG.infof(
                "Assigned %s: positions from the database, %d partition(s) from their beginning",
                partitions, fromStart.size());
    }

    private Map<Integer, Long> read(String topic) {
        Duration wait = config.retryInitialBackoff();
        while (true) {
            try {
                return positions.of(pool, topic).await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                StreamFailures.Verdict verdict = StreamFailures.of(e);
                if (!verdict.isTransient() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warnf("Reading the stream positions failed, trying again in %s: %s", wait, e.getMessage());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(config.retryMaxBackoff()) > 0
                        ? config.retryMaxBackoff()
                        : wait.multipliedBy(2);
            }
        }
    }
}
