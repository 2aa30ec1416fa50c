package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Import jobs as the worker runs them, and the list of a group's jobs: SQL on the reactive client (a
 * {@code SKIP LOCKED} queue, leases, counters updated in each chunk's transaction, a list without the item errors).
 * A job is created and read one at a time through {@link ImportJobRepository}. A worker claims a job with a fresh token ({@code claim}); every later write of that worker names
 * the token, so a worker that lost its job (its lease ran out and another replica took over) changes nothing.
 */
@ApplicationScoped
public class ImportJobStore {

    private static final String COLUMNS = columns("errors::text, jsonb_array_length(errors)");
    /** For lists: the item errors (up to 1,000 per job) are neither read nor sent. */
    private static final String COLUMNS_WITHOUT_ERRORS = columns("NULL::text, 0");

    private static String columns(String errors) {
        return "id, group_id, status, format, default_status, spool_path, bytes, bytes_read, processed, created,"
                + " failed, " + errors + ", error, attempts, claim, created_at, started_at, finished_at";
    }

    public record ImportJob(
            UUID id,
            UUID groupId,
            String status,
            String format,
            String defaultStatus,
            String spoolPath,
            long bytes,
            long bytesRead,
            long processed,
            long created,
            long failed,
            String errorsJson,
            int reportedErrors,
            String error,
            int attempts,
            UUID claim,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {}

    /**
     * The group's newest {@code limit} jobs, newest first (index {@code import_jobs_group}, read backwards). Their
     * item errors are left out ({@code errorsJson} is null): a list shows progress, one job's read shows errors.
     */
    public Uni<List<ImportJob>> newest(SqlClient client, UUID groupId, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS_WITHOUT_ERRORS
                        + " FROM import_jobs WHERE group_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
                .execute(Tuple.of(groupId, limit))
                .map(rows -> {
                    List<ImportJob> jobs = new ArrayList<>(rows.size());
                    rows.forEach(row -> jobs.add(job(row)));
                    return jobs;
                });
    }

    /**
     * Takes the oldest job this replica may run: a queued one, or a running one whose worker fell silent for
     * longer than {@code leaseTimeout}. {@code SKIP LOCKED} lets replicas claim side by side without ever taking
     * the same job. A claim is not an attempt: {@code attempts} counts failures of unknown kind only
     * ({@link #release}), so a job taken over from a replica that died loses nothing.
     *
     * @param anyNode whether the spool directory is shared, so this replica can read every job's file (a job whose
     *                body is kept in S3 can be taken by any replica anyway)
     * @param spooledHere the spool files this replica holds: their jobs are its own whatever node name received
     *                    them (a replica that comes back under another name still finds the files it spooled)
     */
    public Uni<ImportJob> claim(
            SqlClient client, String node, boolean anyNode, Duration leaseTimeout, List<String> spooledHere) {
        return client.preparedQuery("""
                        UPDATE import_jobs
                        SET status = 'running', claim = $1, worker = $2,
                            started_at = coalesce(started_at, now()), heartbeat_at = now()
                        WHERE id = (SELECT id FROM import_jobs
                                    WHERE (status = 'queued'
                                           OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $4)))
                                      AND ($3 OR spool_node = $2 OR spool_path = ANY($5)
                                           OR spool_path LIKE 's3://%')
                                    ORDER BY created_at
                                    FOR UPDATE SKIP LOCKED
                                    LIMIT 1)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(
                        UUID.randomUUID(),
                        node,
                        anyNode,
                        leaseTimeout.toMillis() / 1000.0,
                        spooledHere.toArray(String[]::new)))
                .map(ImportJobStore::first);
    }

    /**
     * After a transient failure, while the worker keeps the job: takes a fresh claim token, so a chunk of the
     * failed try still in flight can no longer commit (its progress update names the old token; should it hold
     * the row already, this waits for it and reads what it committed), records why the job waits and renews the
     * lease. Answers the job as it now stands, or null if this worker no longer holds it. The new token comes
     * from the caller, so a renewal whose answer was lost can be sent again.
     */
    public Uni<ImportJob> renewClaim(SqlClient client, UUID id, UUID claim, UUID newClaim, String waitingFor) {
        return client.preparedQuery("""
                        UPDATE import_jobs SET claim = $3, error = $4, heartbeat_at = now()
                        WHERE id = $1 AND claim IN ($2, $3) AND status = 'running'
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, claim, newClaim, waitingFor))
                .map(ImportJobStore::first);
    }

    /** Puts back the jobs a previous run of this replica was running when it stopped. */
    public Uni<Integer> requeueOrphans(SqlClient client, String node) {
        return client.preparedQuery("UPDATE import_jobs SET status = 'queued', claim = NULL"
                        + " WHERE status = 'running' AND worker = $1")
                .execute(Tuple.of(node))
                .map(RowSet::rowCount);
    }

    /**
     * Records one chunk's progress within the chunk's transaction, and so locks the job row until it commits.
     * Answers false if the claim is no longer this worker's, in which case the caller must roll back. Clears
     * {@code error}: the job moves again, whatever held it up before.
     *
     * @param newErrorsJson the chunk's errors to keep, a JSON array (empty once the reported maximum is reached)
     */
    public Uni<Boolean> recordChunk(
            SqlClient tx,
            UUID id,
            UUID claim,
            int processed,
            int created,
            int failed,
            String newErrorsJson,
            long bytesRead) {
        return tx.preparedQuery("""
                        UPDATE import_jobs
                        SET processed = processed + $3, created = created + $4, failed = failed + $5,
                            errors = errors || $6::text::jsonb, bytes_read = $7, heartbeat_at = now(), error = NULL
                        WHERE id = $1 AND claim = $2 AND status = 'running'""")
                .execute(Tuple.from(List.of(id, claim, processed, created, failed, newErrorsJson, bytesRead)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> succeed(SqlClient client, UUID id, UUID claim) {
        return client.preparedQuery("""
                        UPDATE import_jobs SET status = 'succeeded', bytes_read = bytes, finished_at = now(),
                                               claim = NULL, error = NULL
                        WHERE id = $1 AND claim = $2""").execute(Tuple.of(id, claim)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> fail(SqlClient client, UUID id, UUID claim, String error) {
        return client.preparedQuery("""
                        UPDATE import_jobs SET status = 'failed', error = $3, finished_at = now(), claim = NULL
                        WHERE id = $1 AND claim = $2""").execute(Tuple.of(id, claim, error)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Hands the job back to the queue (this replica stops, or the job failed), keeping why.
     *
     * @param countsAsAttempt whether the failure was of unknown kind, which counts towards max-attempts
     */
    public Uni<Boolean> release(SqlClient client, UUID id, UUID claim, String error, boolean countsAsAttempt) {
        return client.preparedQuery("""
                        UPDATE import_jobs SET status = 'queued', error = $3, claim = NULL,
                                               attempts = attempts + $4
                        WHERE id = $1 AND claim = $2""")
                .execute(Tuple.of(id, claim, error, countsAsAttempt ? 1 : 0))
                .map(rows -> rows.rowCount() == 1);
    }

    private static ImportJob first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        return job(it.next());
    }

    private static ImportJob job(Row row) {
        return new ImportJob(
                row.getUUID(0),
                row.getUUID(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getLong(6),
                row.getLong(7),
                row.getLong(8),
                row.getLong(9),
                row.getLong(10),
                row.getString(11),
                row.getInteger(12),
                row.getString(13),
                row.getInteger(14),
                row.getUUID(15),
                instant(row.getOffsetDateTime(16)),
                instant(row.getOffsetDateTime(17)),
                instant(row.getOffsetDateTime(18)));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
