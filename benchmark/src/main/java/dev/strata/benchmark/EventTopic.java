package dev.strata.benchmark;

import dev.strata.model.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The event topic and the consumer groups on it, as Kafka's AdminClient sees them: how many partitions the topic
 * has, where each ends, and which members of a group own which partitions. Read-only.
 */
final class EventTopic implements AutoCloseable {

    private final AdminClient admin;

    EventTopic(String bootstrapServers) {
        admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    int partitions() throws InterruptedException {
        return get(admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames())
                .get(Topics.EVENTS)
                .partitions()
                .size();
    }

    /** The partition a group's events go to: producers key them by group id (Kafka's default partitioner). */
    static int partitionOf(UUID group, int partitions) {
        return Utils.toPositive(Utils.murmur2(group.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The next offset to be written on each partition. */
    Map<Integer, Long> endOffsets(int partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new TreeMap<>();
        get(admin.listOffsets(latest).all())
                .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /** A group as the coordinator describes it: its state and how many partitions each member owns. */
    record Group(String id, GroupState state, List<Integer> partitionsPerMember) {

        /** Stable with {@code members} members, each owning at least one partition of the topic. */
        boolean balancedOver(int members) {
            return state == GroupState.STABLE
                    && partitionsPerMember.size() == members
                    && partitionsPerMember.stream().allMatch(n -> n > 0);
        }

        @Override
        public String toString() {
            return id + " " + state + ", partitions per member " + partitionsPerMember;
        }
    }

    Group describe(String groupId) throws InterruptedException {
        ConsumerGroupDescription group = get(
                admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId));
        List<Integer> owned = group.members().stream()
                .map(MemberDescription::assignment)
                .map(a -> (int) a.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.EVENTS))
                        .count())
                .toList();
        return new Group(groupId, group.groupState(), owned);
    }

    /**
     * Waits until {@code groupId} is stable with {@code members} members that each own partitions: after a replica
     * joined (or left), its group has rebalanced. Fails with the group's last description after {@code atMost}.
     */
    Group awaitBalanced(String groupId, int members, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Group group = describe(groupId);
        while (!group.balancedOver(members)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("consumer group " + groupId + " did not settle on " + members
                        + " members that each own partitions within " + atMost + ": " + group);
            }
            Thread.sleep(500);
            group = describe(groupId);
        }
        return group;
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
