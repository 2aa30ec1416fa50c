package dev.strata.quota.service;

import dev.strata.model.events.Topics;
import dev.strata.model.problem.ProblemType;
import dev.strata.quota.messaging.UsageEventDecoder;
import dev.strata.quota.service.UsageApplier.Applied;
import dev.strata.quota.store.CounterStore;
import dev.strata.streamarchive.ArchivedStream;
import dev.strata.streamarchive.StreamArchiveException;
import dev.strata.streamarchive.StreamGapException;
import dev.strata.support.messaging.StreamRecord;
import dev.strata.support.messaging.StreamReplayer;
import dev.strata.support.messaging.StreamReplayer.Totals;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Rebuilds counters, daily history and plans from the event stream (the stream archive where the topic's retention
 * deleted records, then the topic: service-support's {@link StreamReplayer}), so they equal the event stream again.
 *
 * <p>How it stays correct while the service runs: it takes the apply gate exclusively (a session advisory lock
 * every live apply transaction takes shared), which waits for in-flight batches and then holds every consumer
 * replica off; only then does it capture the end offsets. Every event the live tables reflect is therefore
 * below those offsets. It replays [beginning, end) into the rebuild tables ({@code rebuild_*}), deduplicating by
 * event id exactly like the live path (what the live consumer quarantined stays out, as it is out of the live
 * counters), and swaps them into the live ones in one transaction that also marks the replayed ids applied. When
 * the gate opens, the live consumer skips what the replay counted and applies what came after. Reservations
 * keep working during the replay (against the old counters) and wait only for the swap.
 *
 * <p>Threshold crossings are not replayed: their events were announced when they happened. Overrides and
 * reservations are not derived from events and are kept.
 */
@ApplicationScoped
public class UsageRebuilder {

    private static final Logger LOG = Logger.getLogger(UsageRebuilder.class);
    private static final int REBUILD_RUNNING = 2;
    private static final Duration DB_WAIT = Duration.ofMinutes(5);
    private static final int BATCH = 5000;

    private final Pool pool;
    private final UsageApplier applier;
    private final CounterStore counters;
    private final StreamReplayer replayer;
    private final ArchivedStream archive;

    public UsageRebuilder(
            Pool pool, UsageApplier applier, CounterStore counters, StreamReplayer replayer, ArchivedStream archive) {
        this.pool = pool;
        this.applier = applier;
        this.counters = counters;
        this.replayer = replayer;
        this.archive = archive;
    }

    /** {@code recordsFromArchive}: how many of {@code recordsRead} came from the stream archive. */
    public record RebuildReport(
            long recordsRead,
            long recordsFromArchive,
            long eventsApplied,
            long duplicates,
            long rejected,
            int partitions,
            Instant startedAt,
            Instant finishedAt,
            long durationMs) {}

    public Uni<RebuildReport> rebuild(Duration limit) {
        return Uni.createFrom()
                .item(() -> rebuildBlocking(limit))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private RebuildReport rebuildBlocking(Duration limit) {
        Instant started = Instant.now();
        SqlConnection connection = pool.getConnection().await().atMost(DB_WAIT);
        try {
            boolean mine = connection
                    .preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
                    .execute(Tuple.of(UsageApplier.LOCK_CLASS, REBUILD_RUNNING))
                    .await()
                    .atMost(DB_WAIT)
                    .iterator()
                    .next()
                    .getBoolean(0);
            if (!mine) {
                throw ProblemException.of(ProblemType.CONFLICT, "A rebuild is already running.");
            }
            try {
                return replayAndSwap(connection, started, limit);
            } finally {
                connection
                        .preparedQuery("SELECT pg_advisory_unlock($1, $2), pg_advisory_unlock($1, $3)")
                        .execute(Tuple.of(UsageApplier.LOCK_CLASS, UsageApplier.APPLY_GATE, REBUILD_RUNNING))
                        .await()
                        .atMost(DB_WAIT);
            }
        } finally {
            connection.closeAndAwait();
        }
    }

    private RebuildReport replayAndSwap(SqlConnection connection, Instant started, Duration limit) {
        LOG.info("Rebuild: waiting for in-flight batches, then holding the consumers off");
        connection
                .preparedQuery("SELECT pg_advisory_lock($1, $2)")
                .execute(Tuple.of(UsageApplier.LOCK_CLASS, UsageApplier.APPLY_GATE))
                .await()
                .atMost(DB_WAIT);
        counters.clearRebuildTables(connection).await().atMost(DB_WAIT);
        AtomicLong applied = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        int partitions;
        Totals replayed;
        try (StreamReplayer.Replay replay = replayer.open(Topics.EVENTS, BATCH).within(limit)) {
            Consumer<List<StreamRecord>> batch = records -> {
                Applied result = inTransaction(
                                connection, tx -> applier.applyToRebuild(tx, UsageEventDecoder.decode(records)))
                        .await()
                        .atMost(DB_WAIT);
                applied.addAndGet(result.fresh());
                duplicates.addAndGet(result.duplicates());
                rejected.addAndGet(result.rejected());
            };
            replay.fromArchive(archive, batch);
            replay.toEnd(batch);
            partitions = replay.partitions();
            replayed = replay.totals();
        } catch (StreamGapException e) {
            // What is neither on the topic nor archived refuses the rebuild (409), an archive away is 503.
            throw ProblemException.of(ProblemType.CONFLICT, e.getMessage());
        } catch (StreamArchiveException e) {
            throw ProblemException.of(ProblemType.SERVICE_UNAVAILABLE, e.getMessage());
        }
        inTransaction(connection, counters::swapInRebuildTables).await().atMost(DB_WAIT);
        Instant finished = Instant.now();
        LOG.infof(
                "Rebuild: %d records from %d partitions, %d events applied, %d duplicates, %d rejected, in %s",
                replayed.records(),
                partitions,
                applied.get(),
                duplicates.get(),
                rejected.get(),
                Duration.between(started, finished));
        return new RebuildReport(
                replayed.records(),
                replayed.fromArchive(),
                applied.get(),
                duplicates.get(),
                rejected.get(),
                partitions,
                started,
                finished,
                Duration.between(started, finished).toMillis());
    }

    private static <T> Uni<T> inTransaction(SqlConnection connection, Function<SqlConnection, Uni<T>> work) {
        return connection
                .begin()
                .chain(tx -> work.apply(connection).call(tx::commit).onFailure().call(tx::rollback));
    }
}
