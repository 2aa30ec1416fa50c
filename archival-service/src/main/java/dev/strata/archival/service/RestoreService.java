package dev.strata.archival.service;

import dev.strata.archival.service.CrashPoints.SimulatedCrash;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.LeaseLostException;
import dev.strata.archival.store.RunStore;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Brings a group's archived events of {@code [from, to)} back into the hot store. It is a run like any other
 * (same lease, so never concurrent with an archive run): it reads each archived object of the group whose time
 * span meets the range, checks it against its recorded SHA-256, inserts the events of the range with
 * {@code ON CONFLICT DO NOTHING} (an id hot already is the same event, since ids are never reused), takes their
 * ids off ingest's archived record, and replaces the object by one holding only the rest, so every event stays in
 * exactly one place. An object with an id of the range hot for another group or type is left as it is and
 * counted as refused. Restored events are old, so a later archive run takes them again, into new objects.
 */
@ApplicationScoped
public class RestoreService {

    private static final Logger LOG = Logger.getLogger(RestoreService.class);

    private final Pool pool;
    private final RunStore runs;
    private final ArchivedObjectStore objects;
    private final ArchiveBucket bucket;
    private final ArchiveFormat format;
    private final ObjectArchiver archiver;
    private final ManifestWriter manifests;
    private final RunLeases leases;
    private final ArchivalService archival;
    private final CrashPoints crashPoints;
    private final Counter refusedObjects;

    public RestoreService(
            Pool pool,
            RunStore runs,
            ArchivedObjectStore objects,
            ArchiveBucket bucket,
            ArchiveFormat format,
            ObjectArchiver archiver,
            ManifestWriter manifests,
            RunLeases leases,
            ArchivalService archival,
            CrashPoints crashPoints,
            MeterRegistry registry) {
        this.pool = pool;
        this.runs = runs;
        this.objects = objects;
        this.bucket = bucket;
        this.format = format;
        this.archiver = archiver;
        this.manifests = manifests;
        this.leases = leases;
        this.archival = archival;
        this.crashPoints = crashPoints;
        this.refusedObjects = Counter.builder("strata.archival.restore.refused")
                .description("Archived objects a restore left untouched because an id of the range was hot for"
                        + " another group or type (data written around ingest's rule; see the log)")
                .baseUnit("objects")
                .register(registry);
    }

    /**
     * {@code refused}: events of the range left archived because their object was refused (an id of the range is
     * hot for another group or type), {@code objectsRefused} those objects, left untouched.
     */
    public record Result(
            UUID runId,
            UUID groupId,
            Instant from,
            Instant to,
            long restored,
            long alreadyPresent,
            long refused,
            int objectsRead,
            int objectsReplaced,
            int objectsRemoved,
            int objectsRefused,
            String manifestKey) {}

    /** Blocking: runs on a worker thread (the REST layer calls it from one). */
    public Result restore(UUID groupId, Instant from, Instant to) {
        ArchiveRun run = Db.await(archival.startRestore(groupId, from, to));
        crashPoints.runStarting();
        Lease lease = leases.begin(run.id());
        try {
            bucket.ensureBucket();
            manifests.writeMissing();
            archiver.finishUnfinished(lease);
            long restored = 0;
            long alreadyPresent = 0;
            long refused = 0;
            int read = 0;
            int replaced = 0;
            int removed = 0;
            int objectsRefused = 0;
            for (ObjectRow object : Db.await(objects.archivedOverlapping(pool, groupId, from, to))) {
                List<ArchiveFormat.Line> lines = format.read(archiver.readVerified(object));
                read++;
                ObjectArchiver.Restored outcome = archiver.restore(lease, object, lines, from, to);
                if (outcome == null) {
                    continue;
                }
                if (outcome.refused() > 0) {
                    refused += outcome.refused();
                    objectsRefused++;
                    refusedObjects.increment();
                    continue;
                }
                restored += outcome.restored();
                alreadyPresent += outcome.alreadyPresent();
                if (outcome.restored() + outcome.alreadyPresent() == object.eventCount()) {
                    removed++;
                } else {
                    replaced++;
                }
            }
            long restoredTotal = restored;
            long presentTotal = alreadyPresent;
            long refusedTotal = refused;
            int readTotal = read;
            Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                    .chain(() ->
                            runs.restoreCounts(tx, run.id(), restoredTotal, presentTotal, refusedTotal, readTotal))));
            String manifest = manifests.write(lease);
            Db.await(pool.withTransaction(
                    tx -> runs.fence(tx, lease.runId(), lease.owner()).chain(() -> runs.succeed(tx, run.id()))));
            LOG.infof(
                    "Restore %s of group %s [%s, %s): %d restored, %d already present, %d refused, %d objects read",
                    run.id(), groupId, from, to, restored, alreadyPresent, refused, read);
            return new Result(
                    run.id(),
                    groupId,
                    from,
                    to,
                    restored,
                    alreadyPresent,
                    refused,
                    read,
                    replaced,
                    removed,
                    objectsRefused,
                    manifest);
        } catch (SimulatedCrash | LeaseLostException abandoned) {
            throw abandoned;
        } catch (ArchiveStorageException e) {
            Db.await(runs.fail(pool, run.id(), e.getMessage()));
            throw new ProblemException(Problem.of(
                            ProblemType.SERVICE_UNAVAILABLE,
                            "The archive could not be read or written: " + e.getMessage())
                    .withExtension("runId", run.id().toString()));
        } catch (RuntimeException e) {
            Db.await(runs.fail(pool, run.id(), ArchiveRunner.reason(e)));
            throw e;
        } finally {
            leases.end(lease);
        }
    }
}
