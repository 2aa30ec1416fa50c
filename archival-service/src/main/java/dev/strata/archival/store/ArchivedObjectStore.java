package dev.strata.archival.store;

import static dev.strata.archival.store.EventStore.utc;
import static dev.strata.archival.store.RunStore.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The archive's index: one row per S3 object, written before the upload and moved through its states (see
 * V2__archived_objects.sql) by conditional updates, so a step repeated after a crash, or attempted by a replica
 * that lost its lease, changes nothing.
 */
@ApplicationScoped
public class ArchivedObjectStore {

    public static final String PLANNED = "planned";
    public static final String VERIFIED = "verified";
    public static final String ARCHIVED = "archived";
    public static final String RESTORING = "restoring";
    public static final String SUPERSEDED = "superseded";
    public static final String EXPIRED = "expired";
    public static final String REMOVED = "removed";

    private static final String COLUMNS = """
            id, run_id, group_id, day, key, state, event_ids, event_count, min_time, max_time, summary::text, sha256,
            bytes, replaces, restore_run_id, restore_from, restore_to""";

    public record ObjectRow(
            UUID id,
            UUID runId,
            UUID groupId,
            LocalDate day,
            String key,
            String state,
            UUID[] eventIds,
            int eventCount,
            Instant minTime,
            Instant maxTime,
            String summaryJson,
            String sha256,
            Long bytes,
            UUID replaces,
            UUID restoreRunId,
            Instant restoreFrom,
            Instant restoreTo) {}

    /** What the archive holds, for the status endpoint. */
    public record Totals(long objects, long events, long bytes) {}

    /** Records objects as planned, in one round trip. */
    public Uni<Void> insertPlanned(SqlClient tx, List<ObjectRow> rows) {
        List<Tuple> tuples = new ArrayList<>(rows.size());
        for (ObjectRow row : rows) {
            tuples.add(Tuple.from(Arrays.asList(
                    row.id(),
                    row.runId(),
                    row.groupId(),
                    row.day(),
                    row.key(),
                    row.eventIds(),
                    row.eventCount(),
                    utc(row.minTime()),
                    utc(row.maxTime()),
                    row.summaryJson(),
                    row.replaces())));
        }
        if (tuples.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        INSERT INTO archived_objects (id, run_id, group_id, day, key, state, event_ids, event_count,
                                                      min_time, max_time, summary, replaces)
                        VALUES ($1, $2, $3, $4, $5, 'planned', $6, $7, $8, $9, $10::text::jsonb, $11)""").executeBatch(tuples).replaceWithVoid();
    }

    public Uni<ObjectRow> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM archived_objects WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<ObjectRow> all = all(rows);
                    return all.isEmpty() ? null : all.get(0);
                });
    }

    /** planned → verified, with what the read-back proved. */
    public Uni<Boolean> markVerified(SqlClient tx, UUID id, String sha256, long bytes) {
        return tx.preparedQuery("""
                        UPDATE archived_objects SET state = 'verified', sha256 = $2, bytes = $3, updated_at = now()
                        WHERE id = $1 AND state = 'planned'""").execute(Tuple.of(id, sha256, bytes)).map(rows -> rows.rowCount() == 1);
    }

    /** What reading an object back proved: its SHA-256 and size. */
    public record Proof(UUID id, String sha256, long bytes) {}

    /**
     * planned or verified → archived, recording what the read-back proved (an object verified before must have
     * been verified with the same SHA-256). Returns how many objects moved; fewer than given means some were not
     * in either state (someone got there first).
     */
    public Uni<Integer> markArchived(SqlClient tx, List<Proof> proofs) {
        UUID[] ids = new UUID[proofs.size()];
        String[] shas = new String[proofs.size()];
        Long[] bytes = new Long[proofs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = proofs.get(i).id();
            shas[i] = proofs.get(i).sha256();
            bytes[i] = proofs.get(i).bytes();
        }
        return tx.preparedQuery("""
                        UPDATE archived_objects o
                        SET state = 'archived', sha256 = p.sha256, bytes = p.bytes, updated_at = now()
                        FROM unnest($1::uuid[], $2::text[], $3::int8[]) AS p(id, sha256, bytes)
                        WHERE o.id = p.id
                          AND (o.state = 'planned' OR (o.state = 'verified' AND o.sha256 = p.sha256))""").execute(Tuple.of(ids, shas, bytes)).map(RowSet::rowCount);
    }

    /** One conditional state change; false when the object was not in {@code from} (someone got there first). */
    public Uni<Boolean> move(SqlClient tx, UUID id, String from, String to) {
        return tx.preparedQuery("""
                        UPDATE archived_objects SET state = $3, updated_at = now() WHERE id = $1 AND state = $2""").execute(Tuple.of(id, from, to)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * archived → expired, in the caller's transaction, for up to {@code limit} objects whose newest event is older
     * than {@code before}, of groups without a legal hold; answers them.
     */
    public Uni<List<ObjectRow>> expire(SqlClient tx, Instant before, int limit) {
        return tx.preparedQuery("""
                        UPDATE archived_objects SET state = 'expired', updated_at = now()
                        WHERE id IN (SELECT o.id FROM archived_objects o
                                     WHERE o.state = 'archived' AND o.max_time < $1
                                       AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.group_id = o.group_id)
                                     ORDER BY o.max_time LIMIT $2)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(utc(before), limit))
                .map(ArchivedObjectStore::all);
    }

    /** archived → restoring, remembering the range so a crashed restore can be finished the same way. */
    public Uni<Boolean> markRestoring(SqlClient tx, UUID id, UUID restoreRunId, Instant from, Instant to) {
        return tx.preparedQuery("""
                        UPDATE archived_objects
                        SET state = 'restoring', restore_run_id = $2, restore_from = $3, restore_to = $4,
                            updated_at = now()
                        WHERE id = $1 AND state = 'archived'""")
                .execute(Tuple.of(id, restoreRunId, utc(from), utc(to)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Objects some run left half-way, oldest first; the next run finishes them before anything else. */
    public Uni<List<ObjectRow>> unfinished(SqlClient client) {
        return client.query("SELECT " + COLUMNS + """
                         FROM archived_objects
                        WHERE state IN ('planned', 'verified', 'restoring', 'superseded', 'expired')
                        ORDER BY created_at, key""").execute().map(ArchivedObjectStore::all);
    }

    /** The object written to hold what a restore left of {@code original}, if any. */
    public Uni<ObjectRow> replacementOf(SqlClient client, UUID original) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM archived_objects WHERE replaces = $1")
                .execute(Tuple.of(original))
                .map(rows -> {
                    List<ObjectRow> all = all(rows);
                    return all.isEmpty() ? null : all.get(0);
                });
    }

    /** Archived objects of the group whose time span meets {@code [from, to)}. */
    public Uni<List<ObjectRow>> archivedOverlapping(SqlClient client, UUID groupId, Instant from, Instant to) {
        return client.preparedQuery("SELECT " + COLUMNS + """
                         FROM archived_objects
                        WHERE group_id = $1 AND state = 'archived' AND min_time < $3 AND max_time >= $2
                        ORDER BY min_time, key""")
                .execute(Tuple.of(groupId, utc(from), utc(to)))
                .map(ArchivedObjectStore::all);
    }

    /**
     * Takes every committed addition and every removal no manifest lists yet for {@code runId}'s manifest, in the
     * caller's transaction, so each object is listed by exactly one manifest (added) and at most one (removed).
     */
    public Uni<Void> claimForManifest(SqlClient tx, UUID runId) {
        return tx.preparedQuery("""
                        UPDATE archived_objects SET manifest_run_id = $1
                        WHERE manifest_run_id IS NULL
                          AND state IN ('archived', 'restoring', 'superseded', 'expired', 'removed')""")
                .execute(Tuple.of(runId))
                .chain(() -> tx.preparedQuery("""
                                UPDATE archived_objects SET removal_manifest_run_id = $1
                                WHERE removal_manifest_run_id IS NULL AND state = 'removed'""").execute(Tuple.of(runId)))
                .replaceWithVoid();
    }

    /** What a run's manifest lists as added. */
    public Uni<List<ObjectRow>> addedBy(SqlClient client, UUID runId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM archived_objects WHERE manifest_run_id = $1 ORDER BY group_id, day, key")
                .execute(Tuple.of(runId))
                .map(ArchivedObjectStore::all);
    }

    /** What a run's manifest lists as removed. */
    public Uni<List<ObjectRow>> removedBy(SqlClient client, UUID runId) {
        return client.preparedQuery("SELECT " + COLUMNS
                        + " FROM archived_objects WHERE removal_manifest_run_id = $1 ORDER BY group_id, day, key")
                .execute(Tuple.of(runId))
                .map(ArchivedObjectStore::all);
    }

    /** Live (archived) objects, of one group or all (groupId null). */
    public Uni<Totals> totals(SqlClient client, UUID groupId) {
        return client.preparedQuery("""
                        SELECT count(*), coalesce(sum(event_count), 0), coalesce(sum(bytes), 0)
                        FROM archived_objects WHERE state = 'archived' AND ($1::uuid IS NULL OR group_id = $1)""").execute(Tuple.of(groupId)).map(rows -> {
            Row row = rows.iterator().next();
            return new Totals(row.getLong(0), row.getLong(1), row.getLong(2));
        });
    }

    private static List<ObjectRow> all(RowSet<Row> rows) {
        List<ObjectRow> objects = new ArrayList<>(rows.size());
        for (Row row : rows) {
            objects.add(new ObjectRow(
                    row.getUUID(0),
                    row.getUUID(1),
                    row.getUUID(2),
                    row.getLocalDate(3),
                    row.getString(4),
                    row.getString(5),
                    row.getArrayOfUUIDs(6),
                    row.getInteger(7),
                    instant(row.getOffsetDateTime(8)),
                    instant(row.getOffsetDateTime(9)),
                    row.getString(10),
                    row.getString(11),
                    row.getLong(12),
                    row.getUUID(13),
                    row.getUUID(14),
                    instant(row.getOffsetDateTime(15)),
                    instant(row.getOffsetDateTime(16))));
        }
        return objects;
    }
}
