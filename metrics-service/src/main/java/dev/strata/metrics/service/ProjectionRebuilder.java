package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.service.ProjectionApplier.Outcome;
import dev.strata.metrics.store.ProjectionTables;
import dev.strata.metrics.store.ProjectionWriter;
import dev.strata.metrics.store.RebuildStore;
import dev.strata.metrics.store.RebuildStore.RunRow;
import dev.strata.model.events.Topics;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.ProblemType;
import dev.strata.streamarchive.ArchivedStream;
import dev.strata.support.messaging.StreamRecord;
import dev.strata.support.messaging.StreamReplayer;
import dev.strata.support.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Rebuilds every projection from the topic without downtime.
 *
 * <ol>
 * <li>Fresh rebuild tables ({@code rebuild_*}, same DDL as the live ones).</li>
 * <li>Replay ({@link StreamReplayer}): what the topic no longer holds comes from the stream archive
 *     ({@link ArchivedStream}); then a consumer of its own (no consumer group) reads every partition from there up
 *     to the end offsets seen at the start. What the live consumer quarantined stays out, as it is out of the live
 *     projections. Each batch is applied to the rebuild tables with the live code path. Reads and the live consumer go
 *     on meanwhile. Records neither on the topic nor archived fail the rebuild before anything is replayed.</li>
 * <li>Catch-up: take the swap lock exclusively. Live batches (on every replica) hold it shared for their
 *     transaction, so once it is granted no live batch is in flight and none starts; every event any of them
 *     applied is below the end offsets read now. Replay up to those.</li>
 * <li>Switch: drop the live tables and rename the rebuild ones in one transaction, then release the lock. Live
 *     batches resume on the new tables; what they redeliver is already in its {@code applied_events} and changes
 *     nothing.</li>
 * </ol>
 * One rebuild runs at a time across replicas (a session advisory lock). If the service stops mid-way the live
 * tables are untouched and the run is marked failed at the next start.
 */
@ApplicationScoped
public class ProjectionRebuilder {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilder.class);

    public static final String PREPARING = "preparing";
    public static final String REPLAYING = "replaying";
    public static final String CATCHING_UP = "catching-up";
    public static final String SWITCHING = "switching";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Schema(
            description = "How far the replay of one topic partition is: the next offset to read, and the offset "
                    + "it must reach")
    public record PartitionProgress(int partition, long position, long target) {}

    /**
     * Progress of a rebuild; {@code partitions} is known only on the instance that runs it, as is
     * {@code eventsFromArchive} (how many of {@code eventsRead} came from the stream archive).
     */
    @Schema(
            description = "Progress of a projection rebuild; partitions and eventsFromArchive are known only on the "
                    + "replica that runs it",
            example = """
            {"id": "01977a20-1b2c-7d3e-8f40-5a6b7c8d9e0f", "status": "replaying",
             "startedAt": "2026-06-17T12:00:00Z", "finishedAt": null, "durationMs": null,
             "eventsRead": 412000, "eventsFromArchive": 150000, "eventsApplied": 411870, "eventsRejected": 2,
             "percent": 41.2,
             "partitions": [{"partition": 0, "position": 206000, "target": 500000},
                            {"partition": 1, "position": 206000, "target": 500000}],
             "error": null}""")
    public record RebuildStatus(
            UUID id,

            @Schema(enumeration = {PREPARING, REPLAYING, CATCHING_UP, SWITCHING, COMPLETED, FAILED})
            String status,

            Instant startedAt,
            Instant finishedAt,
            Long durationMs,
            long eventsRead,
            long eventsFromArchive,
            long eventsApplied,
            long eventsRejected,
            Double percent,
            List<PartitionProgress> partitions,
            String error) {}

    private final Pool pool;
    private final ProjectionApplier applier;
    private final RebuildStore store;
    private final StreamReplayer replayer;
    private final MetricsConfig config;
    private final Clock clock;
    private final ArchivedStream archive;
    private final AtomicReference<Run> current = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "projection-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionRebuilder(
            Pool pool,
            ProjectionApplier applier,
            RebuildStore store,
            StreamReplayer replayer,
            MetricsConfig config,
            Clock clock,
            ArchivedStream archive) {
        this.archive = archive;
        this.pool = pool;
        this.applier = applier;
        this.store = store;
        this.replayer = replayer;
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        // A run left unfinished by a stopped instance: nobody holds the rebuild lock, so nobody is running it.
        pool.getConnection()
                .chain(session -> store.tryLock(session, RebuildStore.REBUILD_LOCK)
                        .chain(locked -> !locked
                                ? Uni.createFrom().item(0)
                                : store.failUnfinished("interrupted: the instance running it stopped", clock.instant())
                                        .call(() -> store.unlock(session, RebuildStore.REBUILD_LOCK)))
                        .eventually(session::close))
                .subscribe()
                .with(
                        n -> {
                            if (n > 0) {
                                LOG.infof("Marked %d interrupted projection rebuild(s) as failed", n);
                            }
                        },
                        e -> LOG.warnf("Could not check for interrupted rebuilds: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Starts a rebuild, or returns the one this instance is running. */
    public Uni<RebuildStatus> start() {
        Run existing = current.get();
        if (existing != null && existing.running()) {
            return Uni.createFrom().item(existing.view());
        }
        Run run = new Run(UuidV7.next(), clock.instant());
        if (!current.compareAndSet(existing, run)) {
            return Uni.createFrom().item(current.get().view());
        }
        return pool.getConnection()
                .chain(session -> store.tryLock(session, RebuildStore.REBUILD_LOCK)
                        .chain(locked -> {
                            if (!locked) {
                                return session.close()
                                        .replaceWith(
                                                Uni.createFrom()
                                                        .<RebuildStatus>failure(
                                                                ProblemException.of(
                                                                        ProblemType.CONFLICT,
                                                                        "A projection rebuild is already running on another instance.")));
                            }
                            return store.insertRun(run.id, PREPARING, run.startedAt)
                                    .invoke(() -> executor.execute(() -> execute(run, session)))
                                    .map(ignored -> run.view())
                                    .onFailure()
                                    .call(e -> store.unlock(session, RebuildStore.REBUILD_LOCK)
                                            .eventually(session::close));
                        }))
                .onFailure()
                .invoke(e -> {
                    run.fail(e);
                    current.compareAndSet(run, existing);
                });
    }

    /** The run of this instance if there is one, else the latest recorded run; null when none ever ran. */
    public Uni<RebuildStatus> status() {
        Run run = current.get();
        if (run != null) {
            return Uni.createFrom().item(run.view());
        }
        return store.latestRun()
                .map(row -> row == null
                        ? null
                        : new RebuildStatus(
                                row.id(),
                                row.status(),
                                row.startedAt(),
                                row.finishedAt(),
                                null,
                                row.eventsRead(),
                                0,
                                row.eventsApplied(),
                                0,
                                COMPLETED.equals(row.status()) ? 100.0 : null,
                                List.of(),
                                row.error()));
    }

    private void execute(Run run, SqlConnection session) {
        Duration step = Duration.ofMinutes(5);
        try {
            store.recreateRebuildTables(ProjectionTables.REBUILD).await().atMost(step);
            try (StreamReplayer.Replay replay =
                    replayer.open(Topics.EVENTS, config.rebuild().batchSize())) {
                Consumer<List<StreamRecord>> apply = batch -> run.count(
                        applier.apply(ProjectionTables.REBUILD, batch).await().atMost(step));
                run.start(replay);
                persist(run);
                replay.fromArchive(archive, apply);
                if (replay.totals().fromArchive() > 0) {
                    LOG.infof(
                            "Projection rebuild %s: %d records from the stream archive",
                            run.id, replay.totals().fromArchive());
                }
                replay.toEnd(apply);

                run.phase(CATCHING_UP);
                persist(run);
                store.lock(session, ProjectionWriter.SWAP_LOCK).await().indefinitely();
                try {
                    replay.extendToEnd();
                    replay.toEnd(apply);
                    run.phase(SWITCHING);
                    swap();
                } finally {
                    store.unlock(session, ProjectionWriter.SWAP_LOCK).await().atMost(step);
                }
            }
            run.complete(clock.instant());
            LOG.infof("Projection rebuild %s completed: %d events read, %d applied", run.id, run.read, run.applied);
        } catch (Throwable e) {
            LOG.errorf(e, "Projection rebuild %s failed; the live projections are unchanged", run.id);
            run.fail(e);
            run.finishedAt = clock.instant();
            try {
                store.dropRebuildTables(ProjectionTables.REBUILD).await().atMost(step);
            } catch (RuntimeException dropFailed) {
                LOG.warnf("Could not drop the rebuild tables: %s", dropFailed.getMessage());
            }
        } finally {
            persist(run);
            try {
                store.unlock(session, RebuildStore.REBUILD_LOCK).await().atMost(step);
            } catch (RuntimeException e) {
                LOG.warnf("Could not release the rebuild lock (closing its session does): %s", e.getMessage());
            }
            session.closeAndAwait();
        }
    }

    private void swap() {
        for (int attempt = 1; ; attempt++) {
            try {
                store.swap(ProjectionTables.REBUILD, config.rebuild().lockTimeout())
                        .await()
                        .atMost(Duration.ofMinutes(1));
                return;
            } catch (RuntimeException e) {
                if (attempt >= config.rebuild().swapAttempts()) {
                    throw e;
                }
                LOG.warnf("Swap attempt %d failed (%s); trying again", attempt, e.getMessage());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200L * attempt));
            }
        }
    }

    private void persist(Run run) {
        RebuildStatus view = run.view();
        try {
            store.updateRun(new RunRow(
                            run.id,
                            view.status(),
                            view.startedAt(),
                            view.finishedAt(),
                            view.eventsRead(),
                            view.eventsApplied(),
                            view.error()))
                    .await()
                    .atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warnf("Could not record the progress of rebuild %s: %s", run.id, e.getMessage());
        }
    }

    /** One rebuild's progress, written by the rebuild thread and read by status requests. */
    private static final class Run {
        final UUID id;
        final Instant startedAt;
        final long startedNanos = System.nanoTime();
        volatile String status = PREPARING;
        volatile Instant finishedAt;
        volatile Long durationMs;
        volatile long read;
        volatile long applied;
        volatile long rejected;
        volatile String error;
        volatile StreamReplayer.Replay replay;

        Run(UUID id, Instant startedAt) {
            this.id = id;
            this.startedAt = startedAt;
        }

        boolean running() {
            return !COMPLETED.equals(status) && !FAILED.equals(status);
        }

        void start(StreamReplayer.Replay replay) {
            this.replay = replay;
            status = REPLAYING;
        }

        void phase(String next) {
            status = next;
        }

        void count(Outcome outcome) {
            read += outcome.read();
            applied += outcome.applied();
            rejected += outcome.rejected();
        }

        void complete(Instant at) {
            finishedAt = at;
            durationMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
            status = COMPLETED;
        }

        void fail(Throwable e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            durationMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
            status = FAILED;
        }

        RebuildStatus view() {
            List<PartitionProgress> partitions = new ArrayList<>();
            long done = 0;
            long total = 0;
            StreamReplayer.Replay replay = this.replay;
            Map<TopicPartition, Long> begin = replay == null ? Map.of() : replay.firstOffsets();
            Map<TopicPartition, Long> targets = replay == null ? Map.of() : replay.targets();
            Map<TopicPartition, Long> positions = replay == null ? Map.of() : replay.positions();
            long fromArchive = replay == null ? 0 : replay.totals().fromArchive();
            for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
                long from = begin.getOrDefault(target.getKey(), 0L);
                long position = positions.getOrDefault(target.getKey(), from);
                partitions.add(new PartitionProgress(target.getKey().partition(), position, target.getValue()));
                total += Math.max(0, target.getValue() - from);
                done += Math.max(0, Math.min(position, target.getValue()) - from);
            }
            partitions.sort(Comparator.comparingInt(PartitionProgress::partition));
            Double percent = COMPLETED.equals(status)
                    ? Double.valueOf(100.0)
                    : total == 0 ? null : Math.floor(1000.0 * done / total) / 10.0;
            return new RebuildStatus(
                    id,
                    status,
                    startedAt,
                    finishedAt,
                    durationMs,
                    read,
                    fromArchive,
                    applied,
                    rejected,
                    percent,
                    partitions,
                    error);
        }
    }
}
