package dev.strata.quota.messaging;

import dev.strata.support.messaging.StreamLag;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where quota-service's consumer stands on the event topic: the next offset to apply of every partition, from
 * the positions the consumer commits with its effects (the truth, whatever Kafka's committed offsets say), and the
 * end offset from the broker; the same answer whichever replica is asked. service-support's {@link StreamLag}
 * reads them (it also feeds the gauge {@code strata.stream.lag}); this adds the partition of a group.
 */
@ApplicationScoped
public class ConsumerPositions {

    private final String consumerGroup;
    private final StreamLag lag;

    public ConsumerPositions(
            @ConfigProperty(name = "mp.messaging.incoming.events-in.group.id") String consumerGroup, StreamLag lag) {
        this.consumerGroup = consumerGroup;
        this.lag = lag;
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
        return lag.positions().map(ConsumerPositions::of);
    }

    /** One partition's position. */
    public Uni<Position> position(int partition) {
        return lag.positions(List.of(partition)).map(list -> of(list).get(0));
    }

    /** The partition a group's events are on: producers key records by group id (Kafka's default partitioner). */
    public Uni<Integer> partitionOf(String groupId) {
        byte[] key = groupId.getBytes(StandardCharsets.UTF_8); // what StringSerializer writes
        return lag.partitionCount().map(count -> Utils.toPositive(Utils.murmur2(key)) % count);
    }

    private static List<Position> of(List<StreamLag.Position> positions) {
        return positions.stream()
                .map(p -> new Position(p.partition(), p.applied(), p.end()))
                .toList();
    }
}
