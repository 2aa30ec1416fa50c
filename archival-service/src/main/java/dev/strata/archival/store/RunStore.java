package dev.strata.archival.store;

import static dev.strata.archival.store.EventStore.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Archive and restore runs. A running row is a lease: at most one exists (unique partial index), its owner renews
 * {@code heartbeat_at}, and every write a run makes first checks it still holds the lease ({@link #fence}), so a
 * replica that was given up for dead can never commit after another took over.
 */
@ApplicationScoped
public class RunStore {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ARCHIVE = "archive";
    public static final String RESTORE = "restore";

    private static final String COLUMNS = """
            id, kind, trigger, status, group_id, days_cutoff, started_at, finished_at, heartbeat_at, owner, error,
            groups_total, groups_processed, eligible_at_start, total_archived, total_failed, restore_from, restore_to,
            restored, already_present, refused, objects_read, manifest_key, manifest_claimed_at, expired_objects""";

    public record NewRun(
            UUID id,
            String kind,
            String trigger,
            UUID groupId,
            Integer daysCutoff,
            String owner,
            Instant restoreFrom,
            Instant restoreTo) {}

    public record BatchRow(
            int seq,
            UUID groupId,
            LocalDate day,
            String objectKey,
            int archived,
            int failed,
            long durationMillis,
            boolean recovered) {}

    /**
     * Runs whose heartbeat stopped: reported failed, so none stays "running" for ever. Returns their ids. The row
     * lock waits for the transactions a slow owner has under way ({@link #fence}), and re-checks the heartbeat after.
     */
    public Uni<List<UUID>> failStale(SqlClient client, Duration timeout) {
        return client.preparedQuery("""
                        UPDATE archive_runs
                        SET status = 'failed', finished_at = now(),
                            error = 'The replica running it stopped (no heartbeat since '
                                    || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                                    || '); the next run finishes its unfinished objects.'
                        WHERE id IN (SELECT id FROM archive_runs
                                     WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
                                     FOR UPDATE)
                        RETURNING id""")
                .execute(Tuple.of(timeout.toMillis() / 1000.0))
                .map(RunStore::ids);
    }

    public Uni<ArchiveRun> findRunning(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM archive_runs WHERE status = 'running'")
                .execute()
                .map(RunStore::first);
    }

    public Uni<ArchiveRun> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM archive_runs WHERE id = $1")
                .execute(Tuple.of(id))
                .map(RunStore::first);
    }

    /** Inserts a running run unless one is running already; true when this one got the lease. */
    public Uni<Boolean> insertRunning(SqlClient client, NewRun run) {
        return client.preparedQuery("""
                        INSERT INTO archive_runs (id, kind, trigger, status, group_id, days_cutoff, owner,
                                                  heartbeat_at, restore_from, restore_to)
                        VALUES ($1, $2, $3, 'running', $4, $5, $6, now(), $7, $8)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(Arrays.asList(
                        run.id(),
                        run.kind(),
                        run.trigger(),
                        run.groupId(),
                        run.daysCutoff(),
                        run.owner(),
                        utc(run.restoreFrom()),
                        utc(run.restoreTo()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Whether an archive run started within {@code window} (a scheduled trigger on another replica ran it). */
    public Uni<Boolean> archiveStartedWithin(SqlClient client, Duration window) {
        return client.preparedQuery("""
                        SELECT count(*) FROM archive_runs
                        WHERE kind = 'archive' AND group_id IS NULL
                          AND started_at > now() - make_interval(secs => $1)""")
                .execute(Tuple.of(window.toMillis() / 1000.0))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** Renews the lease; false when the run is no longer this owner's to run. */
    public Uni<Boolean> heartbeat(SqlClient client, UUID id, String owner) {
        return client.preparedQuery("""
                        UPDATE archive_runs SET heartbeat_at = now()
                        WHERE id = $1 AND owner = $2 AND status = 'running'""").execute(Tuple.of(id, owner)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Checks inside a transaction that the run still holds its lease and keeps it held until the transaction ends:
     * a {@code FOR KEY SHARE} lock on the run row, which {@link #failStale} (the only way a lease is taken from a
     * live owner) has to wait for, since it locks {@code FOR UPDATE}; then the lease is lost and no later
     * transaction of the run commits. Unlike an update of the row, the lock does not make the run's own
     * transactions (planning a page, committing objects, the heartbeat) wait for each other.
     */
    public Uni<Void> fence(SqlClient tx, UUID id, String owner) {
        return tx.preparedQuery("""
                        SELECT 1 FROM archive_runs WHERE id = $1 AND owner = $2 AND status = 'running'
                        FOR KEY SHARE""").execute(Tuple.of(id, owner)).map(rows -> {
            if (rows.size() != 1) {
                throw new LeaseLostException(id);
            }
            return null;
        });
    }

    /** Reserves {@code count} part numbers of the run; returns the first. */
    public Uni<Integer> reserveParts(SqlClient tx, UUID id, int count) {
        return tx.preparedQuery("""
                        UPDATE archive_runs SET next_part = next_part + $2 WHERE id = $1
                        RETURNING next_part - $2""")
                .execute(Tuple.of(id, count))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    public Uni<Void> started(SqlClient client, UUID id, int groupsTotal, long eligible) {
        return client.preparedQuery("""
                        UPDATE archive_runs SET groups_total = $2, eligible_at_start = $3 WHERE id = $1""")
                .execute(Tuple.of(id, groupsTotal, eligible))
                .replaceWithVoid();
    }

    /** Adds objects the run expired (the archive's retention) to its count. */
    public Uni<Void> expired(SqlClient tx, UUID id, int objects) {
        return tx.preparedQuery("UPDATE archive_runs SET expired_objects = expired_objects + $2 WHERE id = $1")
                .execute(Tuple.of(id, objects))
                .replaceWithVoid();
    }

    public Uni<Void> groupDone(SqlClient client, UUID id) {
        return client.preparedQuery("UPDATE archive_runs SET groups_processed = groups_processed + 1 WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Records objects' outcomes, in order, and adds them to the run's totals, in one round trip. */
    public Uni<Void> addBatches(SqlClient tx, UUID runId, List<BatchRow> batches) {
        List<Tuple> tuples = new ArrayList<>(batches.size());
        for (BatchRow batch : batches) {
            tuples.add(Tuple.from(Arrays.asList(
                    runId,
                    batch.groupId(),
                    batch.day(),
                    batch.objectKey(),
                    batch.archived(),
                    batch.failed(),
                    batch.durationMillis(),
                    batch.recovered())));
        }
        return tx.preparedQuery("""
                        WITH totals AS (
                            UPDATE archive_runs
                            SET total_archived = total_archived + $5::int, total_failed = total_failed + $6::int
                            WHERE id = $1::uuid)
                        INSERT INTO archive_run_batches (run_id, seq, group_id, day, object_key, archived, failed,
                                                         duration_ms, recovered)
                        SELECT $1::uuid, coalesce(max(seq), 0) + 1, $2::uuid, $3::date, $4::text, $5::int,
                               $6::int, $7::bigint, $8::boolean
                        FROM archive_run_batches WHERE run_id = $1""").executeBatch(tuples).replaceWithVoid();
    }

    public Uni<List<BatchRow>> batches(SqlClient client, UUID runId) {
        return client.preparedQuery("""
                        SELECT seq, group_id, day, object_key, archived, failed, duration_ms, recovered
                        FROM archive_run_batches WHERE run_id = $1 ORDER BY seq""").execute(Tuple.of(runId)).map(rows -> {
            List<BatchRow> batches = new ArrayList<>(rows.size());
            for (Row row : rows) {
                batches.add(new BatchRow(
                        row.getInteger(0),
                        row.getUUID(1),
                        row.getLocalDate(2),
                        row.getString(3),
                        row.getInteger(4),
                        row.getInteger(5),
                        row.getLong(6),
                        row.getBoolean(7)));
            }
            return batches;
        });
    }

    public Uni<Void> restoreCounts(
            SqlClient tx, UUID id, long restored, long alreadyPresent, long refused, int objectsRead) {
        return tx.preparedQuery("""
                        UPDATE archive_runs SET restored = $2, already_present = $3, refused = $4, objects_read = $5
                        WHERE id = $1""")
                .execute(Tuple.of(id, restored, alreadyPresent, refused, objectsRead))
                .replaceWithVoid();
    }

    /** Marks the moment the run took the unlisted objects for its manifest. */
    public Uni<Void> manifestClaimed(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE archive_runs SET manifest_claimed_at = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    public Uni<Void> manifestWritten(SqlClient client, UUID id, String key) {
        return client.preparedQuery("UPDATE archive_runs SET manifest_key = $2 WHERE id = $1")
                .execute(Tuple.of(id, key))
                .replaceWithVoid();
    }

    /** Runs that claimed objects for a manifest they never wrote (they died in between). */
    public Uni<List<ArchiveRun>> unwrittenManifests(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM archive_runs WHERE manifest_claimed_at IS NOT NULL "
                        + "AND manifest_key IS NULL AND status <> 'running' ORDER BY started_at")
                .execute()
                .map(RunStore::all);
    }

    public Uni<Void> succeed(SqlClient tx, UUID id) {
        return tx.preparedQuery("""
                        UPDATE archive_runs SET status = 'succeeded', finished_at = now(), error = NULL
                        WHERE id = $1 AND status = 'running'""").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Reports the run failed with the reason, unless it already ended. */
    public Uni<Void> fail(SqlClient client, UUID id, String error) {
        return client.preparedQuery("""
                        UPDATE archive_runs SET status = 'failed', finished_at = now(), error = $2
                        WHERE id = $1 AND status = 'running'""").execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /** Events and seconds of recent successful archive runs that moved something: the measured throughput. */
    public Uni<double[]> recentThroughput(SqlClient client) {
        return client.query("""
                        SELECT coalesce(sum(total_archived), 0)::float8,
                               coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float8
                        FROM (SELECT total_archived, finished_at, started_at FROM archive_runs
                              WHERE kind = 'archive' AND status = 'succeeded' AND total_archived > 0
                              ORDER BY started_at DESC LIMIT 10) r""").execute().map(rows -> {
            Row row = rows.iterator().next();
            return new double[] {row.getDouble(0), row.getDouble(1)};
        });
    }

    /** An archive run with what it put in the archive (see {@link #LISTED}). */
    public record ListedRun(ArchiveRun run, long objects, long bytes) {}

    /** One archive run's part for a group: the group's events it archived or failed, and objects as above. */
    public record GroupRunRow(
            UUID runId,
            String status,
            Instant startedAt,
            Instant finishedAt,
            long archived,
            long failed,
            long objects,
            long bytes) {}

    /**
     * The objects (and bytes) a run {@code r} put in the archive, of the group {@code $2} or all ({@code $2} null):
     * those its manifest lists as added once it has claimed them, or, before that (a run still working, or one that
     * died first), those it committed that no manifest lists yet; so an object counts for exactly one run.
     */
    private static final String LISTED = """
            CROSS JOIN LATERAL (
                SELECT count(*) AS objects, coalesce(sum(x.bytes), 0)::bigint AS bytes
                FROM (SELECT o.bytes FROM archived_objects o
                      WHERE r.manifest_claimed_at IS NOT NULL AND o.manifest_run_id = r.id
                        AND ($2::uuid IS NULL OR o.group_id = $2)
                      UNION ALL
                      SELECT o.bytes FROM archive_run_batches b JOIN archived_objects o ON o.key = b.object_key
                      WHERE r.manifest_claimed_at IS NULL AND b.run_id = r.id AND b.archived > 0
                        AND o.manifest_run_id IS NULL AND ($2::uuid IS NULL OR o.group_id = $2)) x) listed""";

    /** The latest {@code limit} archive runs (all groups' and single groups'), newest first. */
    public Uni<List<ListedRun>> latestArchiveRuns(SqlClient client, int limit) {
        return client.preparedQuery("SELECT r.*, listed.objects, listed.bytes FROM (SELECT " + COLUMNS
                        + " FROM archive_runs WHERE kind = 'archive' ORDER BY started_at DESC, id DESC LIMIT $1) r\n"
                        + LISTED + "\nORDER BY r.started_at DESC, r.id DESC")
                .execute(Tuple.from(Arrays.asList(limit, null)))
                .map(rows -> {
                    List<ArchiveRun> runs = all(rows);
                    List<ListedRun> listed = new ArrayList<>(runs.size());
                    int i = 0;
                    for (Row row : rows) {
                        listed.add(new ListedRun(runs.get(i++), row.getLong("objects"), row.getLong("bytes")));
                    }
                    return listed;
                });
    }

    /**
     * The latest {@code limit} archive runs that archived, or tried to archive, events of the group (its batches)
     * or whose manifest lists objects of it, newest first, each with the group's part.
     */
    public Uni<List<GroupRunRow>> archiveRunsOfGroup(SqlClient client, UUID groupId, int limit) {
        return client.preparedQuery("""
                        WITH of_group AS (
                            SELECT run_id AS id FROM archive_run_batches WHERE group_id = $2
                            UNION
                            SELECT manifest_run_id FROM archived_objects
                            WHERE group_id = $2 AND manifest_run_id IS NOT NULL)
                        SELECT r.id, r.status, r.started_at, r.finished_at, part.archived, part.failed,
                               listed.objects, listed.bytes
                        FROM (SELECT a.id, a.status, a.started_at, a.finished_at, a.manifest_claimed_at
                              FROM archive_runs a JOIN of_group g ON g.id = a.id
                              WHERE a.kind = 'archive'
                              ORDER BY a.started_at DESC, a.id DESC LIMIT $1) r
                        CROSS JOIN LATERAL (
                            SELECT coalesce(sum(b.archived), 0)::bigint AS archived,
                                   coalesce(sum(b.failed), 0)::bigint AS failed
                            FROM archive_run_batches b WHERE b.run_id = r.id AND b.group_id = $2) part
                        """ + LISTED + "\nORDER BY r.started_at DESC, r.id DESC")
                .execute(Tuple.of(limit, groupId))
                .map(rows -> {
                    List<GroupRunRow> runs = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        runs.add(new GroupRunRow(
                                row.getUUID(0),
                                row.getString(1),
                                instant(row.getOffsetDateTime(2)),
                                instant(row.getOffsetDateTime(3)),
                                row.getLong(4),
                                row.getLong(5),
                                row.getLong(6),
                                row.getLong(7)));
                    }
                    return runs;
                });
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(row.getUUID(0));
        }
        return ids;
    }

    private static ArchiveRun first(RowSet<Row> rows) {
        List<ArchiveRun> all = all(rows);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<ArchiveRun> all(RowSet<Row> rows) {
        List<ArchiveRun> runs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            runs.add(new ArchiveRun(
                    row.getUUID("id"),
                    row.getString("kind"),
                    row.getString("trigger"),
                    row.getString("status"),
                    row.getUUID("group_id"),
                    row.getInteger("days_cutoff"),
                    instant(row.getOffsetDateTime("started_at")),
                    instant(row.getOffsetDateTime("finished_at")),
                    instant(row.getOffsetDateTime("heartbeat_at")),
                    row.getString("owner"),
                    row.getString("error"),
                    row.getInteger("groups_total"),
                    row.getInteger("groups_processed"),
                    row.getLong("eligible_at_start"),
                    row.getLong("total_archived"),
                    row.getLong("total_failed"),
                    instant(row.getOffsetDateTime("restore_from")),
                    instant(row.getOffsetDateTime("restore_to")),
                    row.getLong("restored"),
                    row.getLong("already_present"),
                    row.getLong("refused"),
                    row.getInteger("objects_read"),
                    row.getString("manifest_key"),
                    instant(row.getOffsetDateTime("manifest_claimed_at")),
                    row.getInteger("expired_objects")));
        }
        return runs;
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
