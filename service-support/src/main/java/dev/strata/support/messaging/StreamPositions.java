package dev.strata.support.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The next offset to apply on each partition, kept in the consumer's database ({@code stream_positions}) and moved
 * in the transaction that applies the records before it: the effects and the position commit together. Moves
 * only forward, so a replica that applies an older batch late (a partition that changed hands) cannot set it back.
 */
@ApplicationScoped
public class StreamPositions {

    /** Moves the positions of the records' partitions past them. */
    public Uni<Void> advance(SqlClient tx, List<StreamRecord> records) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (StreamRecord record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        if (next.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] topics = new String[next.size()];
        Integer[] partitions = new Integer[next.size()];
        Long[] offsets = new Long[next.size()];
        int i = 0;
        for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
            topics[i] = entry.getKey().topic();
            partitions[i] = entry.getKey().partition();
            offsets[i++] = entry.getValue();
        }
        return tx.preparedQuery("""
                        INSERT INTO stream_positions AS p (topic, kafka_partition, next_offset)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
                        ON CONFLICT (topic, kafka_partition) DO UPDATE
                        SET next_offset = greatest(p.next_offset, excluded.next_offset), updated_at = now()""")
                .execute(Tuple.of(topics, partitions, offsets))
                .replaceWithVoid();
    }

    /** Every partition of the topic this consumer has applied records of, with its next offset. */
    public Uni<Map<Integer, Long>> of(SqlClient client, String topic) {
        return client.preparedQuery("SELECT kafka_partition, next_offset FROM stream_positions WHERE topic = $1")
                .execute(Tuple.of(topic))
                .map(rows -> {
                    Map<Integer, Long> positions = new HashMap<>();
                    for (Row row : rows) {
                        positions.put(row.getInteger(0), row.getLong(1));
                    }
                    return positions;
                });
    }
}
