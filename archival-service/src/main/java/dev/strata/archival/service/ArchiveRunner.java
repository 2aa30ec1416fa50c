package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.service.CrashPoints.SimulatedCrash;
import dev.strata.archival.service.RetentionPolicy.Cutoffs;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.EventStore;
import dev.strata.archival.store.LeaseLostException;
import dev.strata.archival.store.RunStore;
import dev.strata.archival.store.RunStore.BatchRow;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Executes archive runs on a thread of its own: finish what earlier runs left, then for each group page through
 * its events older than the cut-off by {@code (timestamp, id)}, turn each (group, day) slice of a page into one
 * object (planned in the database before anything is uploaded), upload and verify it (several at once, see
 * {@link UploadWindow}), then commit it, in plan order; finally write the run's manifest. Any failure fails the
 * run with its reason and leaves every object in a state the next run finishes; nothing leaves the hot store
 * unless its object was verified.
 */
@ApplicationScoped
public class ArchiveRunner {

    private static final Logger LOG = Logger.getLogger(ArchiveRunner.class);

    private final Pool pool;
    private final Pool eventsPool;
    private final RunStore runs;
    private final ArchivedObjectStore objects;
    private final EventStore eventStore;
    private final ArchiveBucket bucket;
    private final ArchiveFormat format;
    private final ObjectArchiver archiver;
    private final ManifestWriter manifests;
    private final RunLeases leases;
    private final CrashPoints crashPoints;
    private final RetentionPolicy retention;
    private final ArchivalConfig config;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "archival-run");
        thread.setDaemon(true);
        return thread;
    });

    public ArchiveRunner(
            Pool pool,
            @ReactiveDataSource("events") Pool eventsPool,
            RunStore runs,
            ArchivedObjectStore objects,
            EventStore eventStore,
            ArchiveBucket bucket,
            ArchiveFormat format,
            ObjectArchiver archiver,
            ManifestWriter manifests,
            RunLeases leases,
            CrashPoints crashPoints,
            RetentionPolicy retention,
            ArchivalConfig config) {
        this.pool = pool;
        this.eventsPool = eventsPool;
        this.runs = runs;
        this.objects = objects;
        this.eventStore = eventStore;
        this.bucket = bucket;
        this.format = format;
        this.archiver = archiver;
        this.manifests = manifests;
        this.leases = leases;
        this.crashPoints = crashPoints;
        this.retention = retention;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Starts a run this replica holds the lease of. */
    public void submit(ArchiveRun run) {
        executor.execute(() -> execute(run));
    }

    /** A group to archive and the instant before which its events go. */
    private record Target(UUID groupId, Instant cutoff, long eligible) {}

    private void execute(ArchiveRun run) {
        crashPoints.runStarting();
        Lease lease = leases.begin(run.id());
        UploadWindow window = new UploadWindow(lease, archiver, format, crashPoints, config.uploadConcurrency());
        AtomicInteger parts = new AtomicInteger(); // a run is never resumed under its id: its parts start at 1
        try {
            bucket.ensureBucket();
            manifests.writeMissing();
            List<Target> targets = targets(run);
            long eligible = targets.stream().mapToLong(Target::eligible).sum();
            Db.await(runs.started(pool, run.id(), targets.size(), eligible));
            archiver.finishUnfinished(lease);
            for (Target target : targets) {
                archiveGroup(lease, target, window, parts);
                window.then(() -> Db.await(runs.groupDone(pool, run.id())));
            }
            window.drain();
            if (run.groupId() == null) {
                // the archive's own retention, on the runs over every group (a group's run only archives)
                archiver.expire(lease, run.startedAt().minus(config.retentionDays(), ChronoUnit.DAYS));
            }
            String manifest = manifests.write(lease);
            Db.await(pool.withTransaction(
                    tx -> runs.fence(tx, lease.runId(), lease.owner()).chain(() -> runs.succeed(tx, run.id()))));
            LOG.infof("Archive run %s succeeded; manifest %s", run.id(), manifest);
            vacuumHotStore(run.id());
        } catch (SimulatedCrash crash) {
            LOG.warnf("Archive run %s abandoned: %s", run.id(), crash.getMessage());
        } catch (LeaseLostException lost) {
            LOG.warnf("Archive run %s stopped: %s", run.id(), lost.getMessage());
        } catch (RuntimeException e) {
            window.close(); // the uploads under way end before the failure is recorded
            fail(run.id(), window, e);
        } finally {
            window.close();
            leases.end(lease);
        }
    }

    /** After a run removed events: a vacuum of the hot store, whose failure (e.g. not the table's owner) is only logged. */
    private void vacuumHotStore(UUID runId) {
        try {
            Db.await(eventStore.vacuum(eventsPool));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Archive run %s: could not vacuum the hot store (autovacuum will have to): %s",
                    runId, e.getMessage());
        }
    }

    private List<Target> targets(ArchiveRun run) {
        Instant now = run.startedAt();
        if (run.groupId() != null) {
            Instant cutoff = now.minus(run.daysCutoff(), ChronoUnit.DAYS);
            long eligible = Db.await(eventStore.countBefore(eventsPool, run.groupId(), cutoff));
            return List.of(new Target(run.groupId(), cutoff, eligible));
        }
        Cutoffs cutoffs = Db.await(retention.cutoffs(now));
        List<Target> targets = new ArrayList<>();
        for (UUID group : Db.await(eventStore.groupsWithEventsBefore(eventsPool, cutoffs.latestCutoff()))) {
            Instant cutoff = cutoffs.cutoff(group);
            long eligible = Db.await(eventStore.countBefore(eventsPool, group, cutoff));
            if (eligible > 0) {
                targets.add(new Target(group, cutoff, eligible));
            }
        }
        return targets;
    }

    /**
     * Selects and plans the group's pages; their objects go to the window, which uploads them once they are
     * recorded as planned, and commits them. The next page is read, and the run's thread goes on, while the current
     * one is recorded.
     */
    private void archiveGroup(Lease lease, Target target, UploadWindow window, AtomicInteger parts) {
        int batchSize = Math.max(1, config.batchSize());
        CompletableFuture<List<EventRow>> next = page(target, null, null, batchSize);
        while (next != null) {
            CompletableFuture<List<EventRow>> reading = next;
            List<EventRow> page = Db.await(Uni.createFrom().completionStage(reading));
            if (page.isEmpty()) {
                return;
            }
            EventRow last = page.get(page.size() - 1);
            next = page.size() < batchSize ? null : page(target, last.timestamp(), last.id(), batchSize);

            Map<LocalDate, List<EventRow>> slices = new LinkedHashMap<>();
            for (EventRow event : page) {
                slices.computeIfAbsent(LocalDate.ofInstant(event.timestamp(), ZoneOffset.UTC), day -> new ArrayList<>())
                        .add(event);
            }
            List<ObjectRow> planned = new ArrayList<>(slices.size());
            for (Map.Entry<LocalDate, List<EventRow>> slice : slices.entrySet()) {
                planned.add(ObjectArchiver.plan(
                        lease.runId(),
                        target.groupId(),
                        slice.getKey(),
                        parts.incrementAndGet(),
                        slice.getValue(),
                        null));
            }
            CompletableFuture<Void> recorded = record(lease, planned);
            for (ObjectRow object : planned) {
                window.upload(object, slices.get(object.day()), recorded);
            }
        }
    }

    /** Starts reading the page of the group's old events after {@code (afterTime, afterId)}. */
    private CompletableFuture<List<EventRow>> page(Target target, Instant afterTime, UUID afterId, int batchSize) {
        return eventStore
                .page(eventsPool, target.groupId(), target.cutoff(), afterTime, afterId, batchSize)
                .subscribeAsCompletionStage();
    }

    /**
     * Starts recording the page's objects as planned, with their keys and event ids; none is uploaded before this
     * commits. The run's thread alone plans its objects, so it numbers them itself, and the fence and the inserts
     * go to the database together.
     */
    private CompletableFuture<Void> record(Lease lease, List<ObjectRow> planned) {
        return pool.withTransaction(tx -> Uni.combine()
                        .all()
                        .unis(runs.fence(tx, lease.runId(), lease.owner()), objects.insertPlanned(tx, planned))
                        .discardItems())
                .subscribeAsCompletionStage();
    }

    private void fail(UUID runId, UploadWindow window, RuntimeException e) {
        String reason = reason(e);
        if (e instanceof ArchiveStorageException) {
            LOG.errorf("Archive run %s failed: %s", runId, reason);
        } else {
            LOG.errorf(e, "Archive run %s failed: %s", runId, reason);
        }
        try {
            long millis = window.oldestMillis();
            List<BatchRow> unarchived = window.uncommitted().stream()
                    .map(object -> new BatchRow(
                            0, object.groupId(), object.day(), object.key(), 0, object.eventCount(), millis, false))
                    .toList();
            if (!unarchived.isEmpty()) {
                Db.await(runs.addBatches(pool, runId, unarchived));
            }
            Db.await(runs.fail(pool, runId, reason));
        } catch (RuntimeException again) {
            LOG.errorf(
                    "Could not record the failure of run %s (%s); it will be reported dead", runId, again.getMessage());
        }
    }

    /** What the run status says: the storage failure as it was described, otherwise the root cause's message. */
    static String reason(Throwable e) {
        if (e instanceof ArchiveStorageException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ArchiveStorageException) {
                return root.getMessage();
            }
            root = root.getCause();
        }
        return root.getMessage() == null ? "unexpected " + root.getClass().getSimpleName() : root.getMessage();
    }
}
