package dev.strata.archival.stream;

import dev.strata.streamarchive.StreamManifest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The stream archive's segments as recorded after each object was stored ({@code stream_segments}). */
@ApplicationScoped
public class StreamSegmentStore {

    private final Pool pool;

    public StreamSegmentStore(Pool pool) {
        this.pool = pool;
    }

    public record Segment(
            String topic,
            int partition,
            long from,
            long to,
            int records,
            long bytes,
            String sha256,
            String key,
            Instant firstTimestamp,
            Instant lastTimestamp) {}

    /** Where the archive of each partition ends (its next offset). */
    public Uni<Map<Integer, Long>> positions(SqlClient client, String topic) {
        return client.preparedQuery(
                        "SELECT partition, max(to_offset) FROM stream_segments WHERE topic = $1 GROUP BY partition")
                .execute(Tuple.of(topic))
                .map(rows -> {
                    Map<Integer, Long> positions = new HashMap<>();
                    rows.forEach(row -> positions.put(row.getInteger(0), row.getLong(1)));
                    return positions;
                });
    }

    /**
     * Records a stored segment; false when the partition's archive does not end where the segment starts (another
     * archiver went on meanwhile), in which case nothing is recorded. {@code newChain}: the first segment of a
     * partition, or the first after records the topic deleted before they were archived; it must start after
     * everything archived.
     */
    public Uni<Boolean> record(SqlClient client, Segment segment, boolean newChain) {
        return client.preparedQuery("""
                        INSERT INTO stream_segments (topic, partition, from_offset, to_offset, records, bytes, sha256,
                                                     object_key, first_timestamp, last_timestamp)
                        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
                        FROM (SELECT max(to_offset) AS archived_to FROM stream_segments
                              WHERE topic = $1 AND partition = $2) archive
                        WHERE CASE WHEN $11 THEN COALESCE(archive.archived_to, -1) < $3
                                   ELSE archive.archived_to = $3 END
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(List.of(
                        segment.topic(),
                        segment.partition(),
                        segment.from(),
                        segment.to(),
                        segment.records(),
                        segment.bytes(),
                        segment.sha256(),
                        segment.key(),
                        segment.firstTimestamp().atOffset(ZoneOffset.UTC),
                        segment.lastTimestamp().atOffset(ZoneOffset.UTC),
                        newChain)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Per partition, the archive a reader can use: from the start of the chain that ends at the newest segment
     * (after a loss, what precedes it cannot be chained to) to its end, with its segments, records and bytes.
     */
    public Uni<List<StreamManifest.Partition>> summary(String topic) {
        return pool.preparedQuery("""
                        WITH starts AS (
                            SELECT s.partition, max(s.from_offset) AS chain_from
                            FROM stream_segments s
                            WHERE s.topic = $1 AND NOT EXISTS (
                                SELECT 1 FROM stream_segments t
                                WHERE t.topic = s.topic AND t.partition = s.partition AND t.to_offset = s.from_offset)
                            GROUP BY s.partition)
                        SELECT s.partition, st.chain_from, max(s.to_offset), count(*), sum(s.records), sum(s.bytes)
                        FROM stream_segments s JOIN starts st ON st.partition = s.partition
                        WHERE s.topic = $1 AND s.from_offset >= st.chain_from
                        GROUP BY s.partition, st.chain_from
                        ORDER BY s.partition""").execute(Tuple.of(topic)).map(rows -> {
            List<StreamManifest.Partition> partitions = new ArrayList<>();
            for (Row row : rows) {
                partitions.add(new StreamManifest.Partition(
                        row.getInteger(0),
                        row.getLong(1),
                        row.getLong(2),
                        row.getLong(3),
                        row.getLong(4),
                        row.getLong(5)));
            }
            return partitions;
        });
    }

    /** When the newest segment was written; null when none was. */
    public Uni<Instant> lastWritten(String topic) {
        return pool.preparedQuery("SELECT max(written_at) FROM stream_segments WHERE topic = $1")
                .execute(Tuple.of(topic))
                .map(rows -> {
                    var value = rows.iterator().next().getOffsetDateTime(0);
                    return value == null ? null : value.toInstant();
                });
    }
}
