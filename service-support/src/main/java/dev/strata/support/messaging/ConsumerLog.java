package dev.strata.support.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A stream consumer's bookkeeping, written in the transaction that applies a batch: the ids of the events it
 * applied (Debezium's {@code MessageLog} idea, set-based: one statement per batch, and only the ids that were not
 * there yet are applied) and the records it could not read, kept with their Kafka position. The tables are the
 * consumer's own ({@code event_id} primary key, optionally {@code group_id}; {@code rejected_events}).
 */
@ApplicationScoped
public class ConsumerLog {

    /** A record that could not be read, kept with its position; recording it twice changes nothing. */
    public record Rejected(String topic, int partition, long offset, String eventId, String reason, String payload) {
    }

    /**
     * Records the ids (distinct within the array) in {@code table}, with each one's group when {@code groupIds}
     * is given; returns the ids that were recorded already, i.e. the events whose effect must not be applied
     * again. Only those come back (usually none), not every id of the batch.
     */
    public Uni<Set<String>> markApplied(SqlClient tx, String table, String[] eventIds, UUID[] groupIds) {
        if (eventIds.length == 0) {
            return Uni.createFrom().item(Set.of());
        }
        String batch = groupIds == null ? "SELECT unnest($1::text[]) AS event_id"
                : "SELECT * FROM unnest($1::text[], $2::uuid[]) AS b(event_id, group_id)";
        String columns = groupIds == null ? "event_id" : "event_id, group_id";
        return tx.preparedQuery("WITH batch AS (" + batch + "), added AS (INSERT INTO " + table + " (" + columns
                        + ") SELECT " + columns + " FROM batch ON CONFLICT DO NOTHING RETURNING event_id)"
                        + " SELECT event_id FROM batch WHERE event_id NOT IN (SELECT event_id FROM added)")
                .execute(groupIds == null ? Tuple.of(eventIds) : Tuple.of(eventIds, groupIds))
                .map(rows -> {
                    Set<String> seen = new HashSet<>(rows.size() * 2);
                    for (Row row : rows) {
                        seen.add(row.getString(0));
                    }
                    return seen;
                });
    }

    public Uni<Void> recordRejected(SqlClient tx, List<Rejected> rejected) {
        int n = rejected.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        String[] ids = new String[n];
        String[] reasons = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Rejected r = rejected.get(i);
            topics[i] = r.topic();
            partitions[i] = r.partition();
            offsets[i] = r.offset();
            ids[i] = r.eventId();
            reasons[i] = r.reason();
            payloads[i] = r.payload();
        }
        return tx.preparedQuery("""
                        INSERT INTO rejected_events (topic, kafka_partition, kafka_offset, event_id, reason, payload)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[])
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(topics, partitions, offsets, ids, reasons, payloads))
                .replaceWithVoid();
    }
}
