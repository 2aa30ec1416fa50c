package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Exactly-once bookkeeping (Debezium's {@code MessageLog} idea, set-based): a batch's event ids go in with one
 * statement in the transaction that applies their effect, and only the ids that were not there yet are applied.
 */
@ApplicationScoped
public class AppliedEventStore {

    /** Records the ids; returns those that were new, i.e. the events whose effect must be applied now. */
    public Uni<Set<String>> markApplied(SqlClient tx, Tables tables, List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery("INSERT INTO " + tables.appliedEvents() + " (event_id) SELECT unnest($1::text[])"
                        + " ON CONFLICT DO NOTHING RETURNING event_id")
                .execute(Tuple.of(eventIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>(rows.size() * 2);
                    for (Row row : rows) {
                        fresh.add(row.getString(0));
                    }
                    return fresh;
                });
    }

    public Uni<Integer> deleteAppliedBefore(SqlClient client, OffsetDateTime before) {
        return client.preparedQuery("DELETE FROM applied_events WHERE applied_at < $1")
                .execute(Tuple.of(before))
                .map(rows -> rows.rowCount());
    }

    /** A record that could not be read, kept with its position; recording it twice changes nothing. */
    public record Rejected(String topic, int partition, long offset, String eventId, String reason, String payload) {
    }

    public Uni<Void> recordRejected(SqlClient tx, List<Rejected> rejected) {
        if (rejected.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rejected.size();
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
