package dev.strata.quota.messaging;

import dev.strata.support.messaging.KafkaClientConfig;
import dev.strata.model.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import dev.strata.support.messaging.StreamPositions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where quota-service's consumer stands on the event topic: the next offset to apply of every partition, from
 * the positions the consumer commits with its effects ({@link StreamPositions}: the truth, whatever Kafka's
 * committed offsets say), and the end offset from the broker; the same answer whichever replica is asked.
 */
@ApplicationScoped
public class ConsumerPositions {

    private final Map<String, Object> kafkaConfig;
    private final String consumerGroup;
    private final Pool pool;
    private final StreamPositions applied;
    private volatile Admin admin;

    public ConsumerPositions(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                             @ConfigProperty(name = "mp.messaging.incoming.events-in.group.id") String consumerGroup,
                             Pool pool, StreamPositions applied) {
        this.kafkaConfig = kafkaConfig;
        this.consumerGroup = consumerGroup;
        this.pool = pool;
        this.applied = applied;
    }

    /** {@code committed} (the next offset to apply) is null while nothing of the partition was applied. */
    public record Position(int partition, Long committed, long end) {

        /** Records on the partition the group has not committed yet. */
        public long lag() {
            return end - (committed == null ? 0 : committed);
        }
    }

    public String consumerGroup() {
        return consumerGroup;
    }

    /** Every partition of the topic, in partition order. */
    public Uni<List<Position>> positions() {
        return partitionCount().chain(count -> positionsOf(IntStream.range(0, count)
                .mapToObj(p -> new TopicPartition(Topics.EVENTS, p))
                .toList()));
    }

    /** One partition's position. */
    public Uni<Position> position(int partition) {
        return positionsOf(List.of(new TopicPartition(Topics.EVENTS, partition))).map(list -> list.get(0));
    }

    /** The partition a group's events are on: producers key records by group id (Kafka's default partitioner). */
    public Uni<Integer> partitionOf(String groupId) {
        byte[] key = groupId.getBytes(StandardCharsets.UTF_8); // what StringSerializer writes
        return partitionCount().map(count -> Utils.toPositive(Utils.murmur2(key)) % count);
    }

    private Uni<Integer> partitionCount() {
        return Uni.createFrom().completionStage(() -> admin().describeTopics(List.of(Topics.EVENTS))
                        .allTopicNames().toCompletionStage())
                .map(topics -> topics.get(Topics.EVENTS).partitions().size());
    }

    private Uni<List<Position>> positionsOf(List<TopicPartition> partitions) {
        Admin client = admin();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
        // Suppliers: every subscription (a retry too) asks the broker again.
        Uni<Map<Integer, Long>> committed = applied.of(pool, Topics.EVENTS);
        Uni<Map<TopicPartition, ListOffsetsResultInfo>> ends = Uni.createFrom().completionStage(() ->
                client.listOffsets(latest).all().toCompletionStage());
        return Uni.combine().all().unis(committed, ends).asTuple().map(both -> {
            List<Position> out = new ArrayList<>(partitions.size());
            for (TopicPartition partition : partitions) {
                out.add(new Position(partition.partition(), both.getItem1().get(partition.partition()),
                        both.getItem2().get(partition).offset()));
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
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "quota-service-positions");
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
