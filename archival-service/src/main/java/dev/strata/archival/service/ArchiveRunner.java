package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.config.Thresholds;
import dev.strata.archival.service.CrashPoints.SimulatedCrash;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.EventLogStore;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.LeaseLostException;
import dev.strata.archival.store.RunStore;
import dev.strata.archival.store.RunStore.BatchRow;
import dev.strata.archival.store.RunStore.RunRow;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Executes archive runs on a thread of its own: finish what earlier runs left, then for each group page through
 * its events older than the cut-off by {@code (timestamp, id)}, turn each (group, day) slice of a page into one
 * object (planned in the database before anything is uploaded), upload and verify it, then commit it; finally
 * write the run's manifest. Any failure fails the run with its reason and leaves every object in a state the
 * next run finishes; nothing leaves the hot store unless its object was verified.
 */
@ApplicationScoped
public class ArchiveRunner {

    private static final Logger LOG = Logger.getLogger(ArchiveRunner.class);

    private final Pool pool;
    private final Pool eventsPool;
    private final RunStore runs;
    private final ArchivedObjectStore objects;
    private final EventLogStore eventLog;
    private final ArchiveBucket bucket;
    private final ArchiveFormat format;
    private final ObjectArchiver archiver;
    private final ManifestWriter manifests;
    private final RunLeases leases;
    private final CrashPoints crashPoints;
    private final ArchivalConfig config;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "archival-run");
        thread.setDaemon(true);
        return thread;
    });

    public ArchiveRunner(Pool pool, @ReactiveDataSource("events") Pool eventsPool, RunStore runs,
                         ArchivedObjectStore objects, EventLogStore eventLog, ArchiveBucket bucket,
                         ArchiveFormat format, ObjectArchiver archiver, ManifestWriter manifests, RunLeases leases,
                         CrashPoints crashPoints, ArchivalConfig config) {
        this.pool = pool;
        this.eventsPool = eventsPool;
        this.runs = runs;
        this.objects = objects;
        this.eventLog = eventLog;
        this.bucket = bucket;
        this.format = format;
        this.archiver = archiver;
        this.manifests = manifests;
        this.leases = leases;
        this.crashPoints = crashPoints;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** Starts a run this replica holds the lease of. */
    public void submit(RunRow run) {
        executor.execute(() -> execute(run));
    }

    /** A group to archive and the instant before which its events go. */
    private record Target(UUID groupId, Instant cutoff, long eligible) {
    }

    /** The objects of the page in flight, to report what a failure left unarchived. */
    private static final class InFlight {
        final List<ObjectRow> pending = new ArrayList<>();
        long startedNanos;
    }

    private void execute(RunRow run) {
        Lease lease = leases.begin(run.id());
        InFlight inFlight = new InFlight();
        try {
            bucket.ensureBucket();
            manifests.writeMissing();
            List<Target> targets = targets(run);
            long eligible = targets.stream().mapToLong(Target::eligible).sum();
            Db.await(runs.started(pool, run.id(), targets.size(), eligible));
            archiver.finishUnfinished(lease);
            for (Target target : targets) {
                archiveGroup(lease, target, inFlight);
                Db.await(runs.groupDone(pool, run.id()));
            }
            String manifest = manifests.write(lease);
            Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                    .chain(() -> runs.succeed(tx, run.id()))));
            LOG.infof("Archive run %s succeeded; manifest %s", run.id(), manifest);
        } catch (SimulatedCrash crash) {
            LOG.warnf("Archive run %s abandoned: %s", run.id(), crash.getMessage());
        } catch (LeaseLostException lost) {
            LOG.warnf("Archive run %s stopped: %s", run.id(), lost.getMessage());
        } catch (RuntimeException e) {
            fail(run.id(), inFlight, e);
        } finally {
            leases.end(lease);
        }
    }

    private List<Target> targets(RunRow run) {
        Instant now = run.startedAt();
        if (run.groupId() != null) {
            Instant cutoff = now.minus(run.daysCutoff(), ChronoUnit.DAYS);
            long eligible = Db.await(eventLog.countBefore(eventsPool, run.groupId(), cutoff));
            return List.of(new Target(run.groupId(), cutoff, eligible));
        }
        int shortest = config.groupAgeThresholdDays().values().stream()
                .mapToInt(Integer::intValue).min().orElse(config.ageThresholdDays());
        Instant latestCutoff = now.minus(Math.min(shortest, config.ageThresholdDays()), ChronoUnit.DAYS);
        List<Target> targets = new ArrayList<>();
        for (UUID group : Db.await(eventLog.groupsWithEventsBefore(eventsPool, latestCutoff))) {
            Instant cutoff = now.minus(Thresholds.days(config, group), ChronoUnit.DAYS);
            long eligible = Db.await(eventLog.countBefore(eventsPool, group, cutoff));
            if (eligible > 0) {
                targets.add(new Target(group, cutoff, eligible));
            }
        }
        return targets;
    }

    private void archiveGroup(Lease lease, Target target, InFlight inFlight) {
        Instant afterTime = null;
        UUID afterId = null;
        int batchSize = Math.max(1, config.batchSize());
        while (true) {
            List<EventRow> page = Db.await(eventLog.page(eventsPool, target.groupId(), target.cutoff(), afterTime,
                    afterId, batchSize));
            if (page.isEmpty()) {
                return;
            }
            EventRow last = page.get(page.size() - 1);
            afterTime = last.timestamp();
            afterId = last.id();

            Map<LocalDate, List<EventRow>> slices = new LinkedHashMap<>();
            for (EventRow event : page) {
                slices.computeIfAbsent(LocalDate.ofInstant(event.timestamp(), ZoneOffset.UTC),
                        day -> new ArrayList<>()).add(event);
            }
            List<ObjectRow> planned = plan(lease, target.groupId(), slices);
            inFlight.pending.clear();
            inFlight.pending.addAll(planned);
            inFlight.startedNanos = System.nanoTime();
            crashPoints.reached(CrashPoints.AFTER_PLAN);

            for (ObjectRow object : planned) {
                long started = System.nanoTime();
                byte[] bytes = format.write(slices.get(object.day()));
                ObjectArchiver.Stored stored = archiver.uploadAndVerify(lease, object, bytes);
                archiver.commitArchive(lease, object, stored, started, false);
                inFlight.pending.remove(object);
            }
            if (page.size() < batchSize) {
                return;
            }
        }
    }

    /** Records the page's objects, with their keys and event ids, before any of them is uploaded. */
    private List<ObjectRow> plan(Lease lease, UUID groupId, Map<LocalDate, List<EventRow>> slices) {
        return Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> runs.reserveParts(tx, lease.runId(), slices.size()))
                .chain(first -> {
                    List<ObjectRow> planned = new ArrayList<>(slices.size());
                    int part = first;
                    for (Map.Entry<LocalDate, List<EventRow>> slice : slices.entrySet()) {
                        planned.add(ObjectArchiver.plan(lease.runId(), groupId, slice.getKey(), ++part,
                                slice.getValue(), null));
                    }
                    Uni<Void> inserts = Uni.createFrom().voidItem();
                    for (ObjectRow object : planned) {
                        inserts = inserts.chain(() -> objects.insertPlanned(tx, object));
                    }
                    return inserts.replaceWith(planned);
                })));
    }

    private void fail(UUID runId, InFlight inFlight, RuntimeException e) {
        String reason = reason(e);
        if (e instanceof ArchiveStorageException) {
            LOG.errorf("Archive run %s failed: %s", runId, reason);
        } else {
            LOG.errorf(e, "Archive run %s failed: %s", runId, reason);
        }
        try {
            long millis = (System.nanoTime() - inFlight.startedNanos) / 1_000_000;
            for (ObjectRow object : inFlight.pending) {
                Db.await(runs.addBatch(pool, runId, new BatchRow(0, object.groupId(), object.day(), object.key(), 0,
                        object.eventCount(), millis, false)));
            }
            Db.await(runs.fail(pool, runId, reason));
        } catch (RuntimeException again) {
            LOG.errorf("Could not record the failure of run %s (%s); it will be reported dead", runId,
                    again.getMessage());
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
