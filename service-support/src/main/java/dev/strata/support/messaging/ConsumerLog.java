package dev.strata.support.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A stream consumer's bookkeeping, written in the transaction that applies a batch: the ids of the events it
 * applied (Debezium's {@code MessageLog} idea, set-based: one statement per batch, and only the ids that were not
 * there yet are applied) and the records it set aside, kept with their Kafka position. The tables are the
 * consumer's own ({@code event_id} primary key, optionally {@code group_id}; {@code rejected_events} from
 * {@code db/stream}).
 */
@ApplicationScoped
public class ConsumerLog {

    /** Characters of a set-aside record kept as readable text beside its bytes. */
    static final int EXCERPT_CHARS = 8192;

    /**
     * A record set aside: its place, its event id when it has one, the kind of fault ({@link StreamFailures}) and
     * why. Recording it twice changes nothing.
     */
    public record Rejected(StreamRecord record, String eventId, String kind, String reason) {}

    /**
     * Records the ids (distinct within the array) in {@code table}, with each one's group when {@code groupIds}
     * is given; returns the ids that were recorded already, i.e. the events whose effect must not be applied
     * again. Only those come back (usually none), not every id of the batch.
     */
    public Uni<Set<String>> markApplied(SqlClient tx, String table, String[] eventIds, UUID[] groupIds) {
        if (eventIds.length == 0) {
            return Uni.createFrom().item(Set.of());
        }
        String batch = groupIds == null
                ? "SELECT unnest($1::text[]) AS event_id"
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

    /**
     * Keeps the records with their full bytes (for a re-apply) and a readable excerpt; PostgreSQL text holds no
     * NUL, so the excerpt and the reason show it as U+FFFD rather than make the quarantine itself fail.
     */
    public Uni<Void> recordRejected(SqlClient tx, List<Rejected> rejected) {
        int n = rejected.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        String[] ids = new String[n];
        String[] kinds = new String[n];
        String[] reasons = new String[n];
        String[] excerpts = new String[n];
        String[] keys = new String[n];
        Buffer[] values = new Buffer[n];
        for (int i = 0; i < n; i++) {
            Rejected r = rejected.get(i);
            StreamRecord record = r.record();
            topics[i] = record.topic();
            partitions[i] = record.partition();
            offsets[i] = record.offset();
            ids[i] = text(r.eventId());
            kinds[i] = r.kind();
            reasons[i] = text(String.valueOf(r.reason()));
            excerpts[i] = record.value() == null ? null : text(excerpt(record.value()));
            keys[i] = text(record.key());
            values[i] = record.value() == null ? null : Buffer.buffer(record.value());
        }
        return tx.preparedQuery("""
                        INSERT INTO rejected_events (topic, kafka_partition, kafka_offset, event_id, kind, reason, payload,
                                                     record_key, record)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                                             $7::text[], $8::text[], $9::bytea[])
                        ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE
                        SET kind = excluded.kind, reason = excluded.reason, rejected_at = now(), reapplied_at = NULL""")
                .execute(Tuple.wrap(
                        new Object[] {topics, partitions, offsets, ids, kinds, reasons, excerpts, keys, values}))
                .replaceWithVoid();
    }

    /**
     * The records set aside and not re-applied, by {@link StreamRecord#position()}: a replay of the topic (a
     * rebuild) leaves them out as the live consumer did, and meets them again once they are re-applied.
     */
    public Uni<Set<String>> setAside(SqlClient client) {
        return client.query("""
                        SELECT topic || '-' || kafka_partition || '@' || kafka_offset FROM rejected_events
                        WHERE reapplied_at IS NULL""").execute().map(rows -> {
            Set<String> positions = new HashSet<>(rows.size() * 2);
            for (Row row : rows) {
                positions.add(row.getString(0));
            }
            return positions;
        });
    }

    static String excerpt(byte[] value) {
        String text = new String(value, 0, Math.min(value.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        return text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) : text;
    }

    static String text(String value) {
        return value == null ? null : value.replace((char) 0, '\uFFFD');
    }
}
