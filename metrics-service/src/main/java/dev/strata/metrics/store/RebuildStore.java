package dev.strata.metrics.store;

import static dev.strata.metrics.store.GraphReadStore.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** The rebuild tables, the swap, and the record of rebuild runs. */
@ApplicationScoped
public class RebuildStore {

    /** Advisory lock key held (session-level) by the one rebuild running across all replicas. */
    public static final long REBUILD_LOCK = 0x5354_5241_5441_0002L;

    public record RunRow(
            UUID id,
            String status,
            Instant startedAt,
            Instant finishedAt,
            long eventsRead,
            long eventsApplied,
            String error) {}

    private final Pool pool;

    public RebuildStore(Pool pool) {
        this.pool = pool;
    }

    /** Empty rebuild tables, whatever an earlier, interrupted rebuild left behind. */
    public Uni<Void> recreateRebuildTables(ProjectionTables rebuild) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT drop_projection_tables($1)")
                .execute(Tuple.of(rebuild.prefix()))
                .chain(() ->
                        tx.preparedQuery("SELECT create_projection_tables($1)").execute(Tuple.of(rebuild.prefix())))
                .replaceWithVoid());
    }

    public Uni<Void> dropRebuildTables(ProjectionTables rebuild) {
        return pool.preparedQuery("SELECT drop_projection_tables($1)")
                .execute(Tuple.of(rebuild.prefix()))
                .replaceWithVoid();
    }

    /**
     * Replaces the live tables by the rebuild ones in one transaction. {@code lockTimeout} bounds how long the swap
     * queues for table locks, and so how long readers queue behind it; on timeout nothing changed.
     */
    public Uni<Void> swap(ProjectionTables rebuild, Duration lockTimeout) {
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'")
                .execute()
                .chain(() ->
                        tx.preparedQuery("SELECT swap_projection_tables($1)").execute(Tuple.of(rebuild.prefix())))
                .replaceWithVoid());
    }

    public Uni<Boolean> tryLock(SqlClient session, long key) {
        return session.preparedQuery("SELECT pg_try_advisory_lock($1)")
                .execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<Void> lock(SqlClient session, long key) {
        return session.preparedQuery("SELECT pg_advisory_lock($1)")
                .execute(Tuple.of(key))
                .replaceWithVoid();
    }

    public Uni<Void> unlock(SqlClient session, long key) {
        return session.preparedQuery("SELECT pg_advisory_unlock($1)")
                .execute(Tuple.of(key))
                .replaceWithVoid();
    }

    public Uni<Void> insertRun(UUID id, String status, Instant startedAt) {
        return pool.preparedQuery("INSERT INTO projection_rebuilds (id, status, started_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(id, status, startedAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> updateRun(RunRow run) {
        return pool.preparedQuery("UPDATE projection_rebuilds SET status = $2, finished_at = $3, events_read = $4,"
                        + " events_applied = $5, error = $6 WHERE id = $1")
                .execute(Tuple.from(java.util.Arrays.asList(
                        run.id(),
                        run.status(),
                        run.finishedAt() == null ? null : run.finishedAt().atOffset(ZoneOffset.UTC),
                        run.eventsRead(),
                        run.eventsApplied(),
                        run.error())))
                .replaceWithVoid();
    }

    public Uni<RunRow> latestRun() {
        return pool.query("SELECT id, status, started_at, finished_at, events_read, events_applied, error"
                        + " FROM projection_rebuilds ORDER BY started_at DESC, id DESC LIMIT 1")
                .execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new RunRow(
                            row.getUUID(0),
                            row.getString(1),
                            instant(row.getOffsetDateTime(2)),
                            instant(row.getOffsetDateTime(3)),
                            row.getLong(4),
                            row.getLong(5),
                            row.getString(6));
                });
    }

    /** Runs left unfinished by a stopped instance; only called while holding {@link #REBUILD_LOCK}. */
    public Uni<Integer> failUnfinished(String error, Instant at) {
        return pool.preparedQuery("UPDATE projection_rebuilds SET status = 'failed', error = $1, finished_at = $2"
                        + " WHERE status NOT IN ('completed', 'failed')")
                .execute(Tuple.of(error, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
