package dev.strata.support.messaging;

import dev.strata.model.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where a service's stream consumer stands on the event topic: for every partition, the next offset to apply, from
 * the positions the consumer commits with its effects ({@link StreamPositions}: the truth, whatever Kafka's
 * committed offsets say), and the end offset from the broker. The same answer whichever replica is asked; the
 * lag of {@code GET /admin/quotas/lag} and of the gauge {@code strata.stream.lag} ({@link StreamMeters}).
 */
@ApplicationScoped
public class StreamLag {

    private final Map<String, Object> kafkaConfig;
    private final String clientId;
    private final Pool pool;
    private final StreamPositions applied;
    private volatile Admin admin;

    public StreamLag(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "quarkus.application.name") String application,
            Pool pool,
            StreamPositions applied) {
        this.kafkaConfig = kafkaConfig;
        this.clientId = application + "-stream-lag";
        this.pool = pool;
        this.applied = applied;
    }

    /** {@code applied} (the next offset to apply) is null while nothing of the partition was applied. */
    public record Position(int partition, Long applied, long end) {

        /** Records on the partition the consumer has not applied yet. */
        public long lag() {
            return Math.max(0, end - (applied == null ? 0 : applied));
        }
    }

    /** Every partition of the topic, in partition order. */
    public Uni<List<Position>> positions() {
        return partitionCount()
                .chain(count -> positions(IntStream.range(0, count).boxed().toList()));
    }

    /** The records behind the end of the topic, summed over its partitions. */
    public Uni<Long> total() {
        return positions().map(StreamLag::total);
    }

    static long total(List<Position> positions) {
        return positions.stream().mapToLong(Position::lag).sum();
    }

    public Uni<Integer> partitionCount() {
        return Uni.createFrom()
                .completionStage(() -> admin().describeTopics(List.of(Topics.EVENTS))
                        .allTopicNames()
                        .toCompletionStage())
                .map(topics -> topics.get(Topics.EVENTS).partitions().size());
    }

    /** These partitions' positions, in partition order. */
    public Uni<List<Position>> positions(List<Integer> partitions) {
        Admin client = admin();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(Topics.EVENTS, p), p -> OffsetSpec.latest()));
        // Suppliers: every subscription (a retry too) asks again.
        Uni<Map<Integer, Long>> committed = applied.of(pool, Topics.EVENTS);
        Uni<Map<TopicPartition, ListOffsetsResultInfo>> ends = Uni.createFrom()
                .completionStage(() -> client.listOffsets(latest).all().toCompletionStage());
        return Uni.combine().all().unis(committed, ends).asTuple().map(both -> {
            List<Position> out = new ArrayList<>(partitions.size());
            for (int partition : partitions) {
                out.add(new Position(
                        partition,
                        both.getItem1().get(partition),
                        both.getItem2()
                                .get(new TopicPartition(Topics.EVENTS, partition))
                                .offset()));
            }
            out.sort(Comparator.comparingInt(Position::partition));
            return out;
        });
    }

    private Admin admin() {
        Admin client = admin;
        if (client == null) {
            synchronized (this) {
                client = admin;
                if (client == null) {
                    Map<String, Object> config = KafkaClientConfig.admin(kafkaConfig);
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
                    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
                    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    client = Admin.create(config);
                    admin = client;
                }
            }
        }
        return client;
    }

    void onStop(@Observes ShutdownEvent event) {
        Admin client = admin;
        if (client != null) {
            client.close(Duration.ofSeconds(2));
        }
    }
}
