package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
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

    /**
     * Records the ids (distinct within the list); returns those that were recorded already, i.e. the events whose
     * effect must not be applied again. Only those come back: usually none, instead of every id of the batch.
     */
    public Uni<Set<String>> markApplied(SqlClient tx, Tables tables, List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery("WITH batch AS (SELECT unnest($1::text[]) AS event_id),"
                        + " added AS (INSERT INTO " + tables.appliedEvents() + " (event_id) SELECT event_id FROM batch"
                        + " ON CONFLICT DO NOTHING RETURNING event_id)"
                        + " SELECT event_id FROM batch WHERE event_id NOT IN (SELECT event_id FROM added)")
                .execute(Tuple.of(eventIds.toArray(String[]::new)))
                .map(AppliedEventStore::ids);
    }

    private static Set<String> ids(RowSet<Row> rows) {
        Set<String> ids = new HashSet<>(rows.size() * 2);
        for (Row row : rows) {
            ids.add(row.getString(0));
        }
        return ids;
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
