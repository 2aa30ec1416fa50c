package dev.strata.archival.service;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.messaging.EventsArchived;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveBucket.Verification;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.EventLogStore;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.RunStore;
import dev.strata.archival.store.RunStore.BatchRow;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.outbox.OutboxStore;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.strata.archival.store.ArchivedObjectStore.ARCHIVED;
import static dev.strata.archival.store.ArchivedObjectStore.PLANNED;
import static dev.strata.archival.store.ArchivedObjectStore.REMOVED;
import static dev.strata.archival.store.ArchivedObjectStore.RESTORING;
import static dev.strata.archival.store.ArchivedObjectStore.SUPERSEDED;
import static dev.strata.archival.store.ArchivedObjectStore.VERIFIED;

/**
 * The steps one object goes through, each ending in a durable state change (see V2__archived_objects.sql):
 * <ol>
 *   <li>upload, read back, record {@code verified} (size and SHA-256 match what was sent);</li>
 *   <li>delete the hot copies and record {@code archived} with its {@code events_archived} outbox row, in one
 *       transaction when the event log shares this service's database;</li>
 *   <li>for a restore: put the range back into the hot store, write what is left of the object as a replacement,
 *       record the original {@code superseded}, delete it from S3, record {@code removed}.</li>
 * </ol>
 * Any step may be repeated after a crash and changes nothing the second time; {@link #finishUnfinished} is what
 * every run does first.
 */
@ApplicationScoped
public class ObjectArchiver {

    private static final Logger LOG = Logger.getLogger(ObjectArchiver.class);

    private final Pool pool;
    private final Pool eventsPool;
    private final ArchivedObjectStore objects;
    private final RunStore runs;
    private final EventLogStore eventLog;
    private final ArchiveBucket bucket;
    private final ArchiveFormat format;
    private final OutboxStore outbox;
    private final OutboxRelay relay;
    private final EventFactory eventFactory;
    private final CrashPoints crashPoints;
    private final ArchivalConfig config;

    public ObjectArchiver(Pool pool, @ReactiveDataSource("events") Pool eventsPool, ArchivedObjectStore objects,
                          RunStore runs, EventLogStore eventLog, ArchiveBucket bucket, ArchiveFormat format,
                          OutboxStore outbox, OutboxRelay relay, EventFactory eventFactory, CrashPoints crashPoints,
                          ArchivalConfig config) {
        this.pool = pool;
        this.eventsPool = eventsPool;
        this.objects = objects;
        this.runs = runs;
        this.eventLog = eventLog;
        this.bucket = bucket;
        this.format = format;
        this.outbox = outbox;
        this.relay = relay;
        this.eventFactory = eventFactory;
        this.crashPoints = crashPoints;
        this.config = config;
    }

    /** The S3 key of part {@code part} of a run: {@code events/group=<g>/date=<d>/part-<run>-<n>.ndjson.gz}. */
    public static String key(UUID groupId, LocalDate day, UUID runId, int part) {
        return "events/group=" + groupId + "/date=" + day + "/part-" + runId + "-" + String.format("%05d", part)
                + ArchiveFormat.EXTENSION;
    }

    /** A planned object row for events (in archive order) of one group and day. */
    static ObjectRow plan(UUID runId, UUID groupId, LocalDate day, int part, List<EventRow> events, UUID replaces) {
        UUID[] ids = new UUID[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).id();
        }
        return new ObjectRow(UUID.randomUUID(), runId, groupId, day, key(groupId, day, runId, part), PLANNED, ids,
                events.size(), events.get(0).timestamp(), events.get(events.size() - 1).timestamp(),
                ObjectSummary.of(events).toJson(), null, null, replaces, null, null, null);
    }

    /** What an upload proved. */
    public record Stored(String sha256, long bytes) {
    }

    /** planned → verified: uploads the bytes until they read back identical (or the attempts run out). */
    public Stored uploadAndVerify(Lease lease, ObjectRow object, byte[] bytes) {
        String sha = ArchiveBucket.sha256(bytes);
        Map<String, String> metadata = Map.of(
                "sha256", sha,
                "event-count", Integer.toString(object.eventCount()),
                "min-time", object.minTime().toString(),
                "max-time", object.maxTime().toString(),
                "run", object.runId().toString());
        String problem = null;
        for (int attempt = 1; attempt <= Math.max(1, config.uploadAttempts()); attempt++) {
            bucket.put(object.key(), bytes, ArchiveFormat.CONTENT_TYPE, metadata);
            crashPoints.reached(CrashPoints.AFTER_UPLOAD);
            Verification verification = bucket.verify(object.key(), sha, bytes.length);
            problem = verification.problem();
            if (problem == null) {
                break;
            }
            LOG.warnf("Object %s did not read back as written (attempt %d): %s", object.key(), attempt, problem);
        }
        if (problem != null) {
            throw new ArchiveStorageException("S3 bucket " + bucket.name() + ": object " + object.key()
                    + " did not read back as written after " + config.uploadAttempts() + " uploads: " + problem);
        }
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.markVerified(tx, object.id(), sha, bytes.length))));
        crashPoints.reached(CrashPoints.AFTER_VERIFY);
        return new Stored(sha, bytes.length);
    }

    /**
     * verified → archived: the hot copies go, the object counts as archived and one {@code events_archived} event
     * is queued, all in one transaction (or, with separate databases, the idempotent delete just before it).
     */
    public void commitArchive(Lease lease, ObjectRow object, Stored stored, long startedNanos, boolean recovered) {
        boolean sameDatabase = config.events().sameDatabase();
        if (!sameDatabase) {
            Db.await(eventLog.delete(eventsPool, object.groupId(), object.eventIds()));
            crashPoints.reached(CrashPoints.AFTER_EVENTS_DELETE);
        }
        ObjectSummary summary = ObjectSummary.fromJson(object.summaryJson());
        EventEnvelope archived = eventFactory.create(EventType.EVENTS_ARCHIVED, object.groupId(), Instant.now(),
                object.id(), new EventsArchived(object.groupId(), object.eventCount(), summary.countsByType(),
                        summary.revenueByCurrency().isEmpty() ? null : summary.revenueByCurrency(),
                        object.minTime(), object.maxTime(), object.key(), stored.sha256(), object.day(),
                        object.runId()));
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        Integer deleted = Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> sameDatabase ? eventLog.delete(tx, object.groupId(), object.eventIds())
                        : Uni.createFrom().item(-1))
                .call(() -> objects.move(tx, object.id(), VERIFIED, ARCHIVED).invoke(moved -> {
                    if (!moved) {
                        throw new IllegalStateException("object " + object.key() + " is no longer verified");
                    }
                }))
                .call(() -> outbox.append(tx, object.groupId(), List.of(archived)))
                .call(() -> runs.addBatch(tx, lease.runId(), new BatchRow(0, object.groupId(), object.day(),
                        object.key(), object.eventCount(), 0, millis, recovered)))));
        relay.wake();
        if (sameDatabase && deleted != object.eventCount()) {
            LOG.warnf("Object %s holds %d events but %d hot copies were deleted", object.key(), object.eventCount(),
                    deleted);
        }
        crashPoints.reached(CrashPoints.AFTER_DELETE);
    }

    /** Finishes what earlier runs left half-way, oldest first; returns how many objects it finished. */
    public int finishUnfinished(Lease lease) {
        int finished = 0;
        for (ObjectRow object : Db.await(objects.unfinished(pool))) {
            if (object.replaces() != null) {
                continue; // a restore's replacement: finished with the object it replaces
            }
            LOG.infof("Run %s finishes object %s left %s", lease.runId(), object.key(), object.state());
            switch (object.state()) {
                case PLANNED, VERIFIED -> finishArchive(lease, object);
                case RESTORING -> finishRestore(lease, object, null);
                case SUPERSEDED -> removeSuperseded(lease, object);
                default -> throw new IllegalStateException("unexpected state " + object.state());
            }
            finished++;
        }
        return finished;
    }

    private void finishArchive(Lease lease, ObjectRow object) {
        long started = System.nanoTime();
        Stored stored;
        if (PLANNED.equals(object.state())) {
            List<EventRow> hot = Db.await(eventLog.byIds(eventsPool, object.groupId(), object.eventIds()));
            if (hot.size() != object.eventCount()) {
                // Only an archive commit removes hot events, and it needs the object verified first.
                throw new IllegalStateException("object " + object.key() + " was planned with " + object.eventCount()
                        + " events but " + hot.size() + " are hot; it is left for an operator to inspect");
            }
            stored = uploadAndVerify(lease, object, format.write(hot));
        } else {
            Verification verification = bucket.verify(object.key(), object.sha256(), object.bytes());
            if (!verification.ok()) {
                throw new ArchiveStorageException("S3 bucket " + bucket.name() + ": verified object " + object.key()
                        + " no longer reads back as written: " + verification.problem());
            }
            stored = new Stored(object.sha256(), object.bytes());
        }
        commitArchive(lease, object, stored, started, true);
    }

    /** Events put back by a restore, and those that were hot already. */
    public record Restored(long restored, long alreadyPresent) {
    }

    /**
     * Takes {@code [from, to)} out of an archived object: records the restore (and the replacement object for
     * what is left) before touching anything, then finishes it. Returns null when the object holds nothing in
     * the range.
     */
    public Restored restore(Lease lease, ObjectRow original, List<ArchiveFormat.Line> lines, Instant from,
                            Instant to) {
        List<EventRow> keep = new ArrayList<>();
        boolean any = false;
        for (ArchiveFormat.Line line : lines) {
            if (inRange(line.event(), from, to)) {
                any = true;
            } else {
                keep.add(line.event());
            }
        }
        if (!any) {
            return null;
        }
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.markRestoring(tx, original.id(), lease.runId(), from, to))
                .invoke(marked -> {
                    if (!marked) {
                        throw new IllegalStateException("object " + original.key() + " is no longer archived");
                    }
                })
                .chain(() -> keep.isEmpty() ? Uni.createFrom().voidItem()
                        : runs.reserveParts(tx, lease.runId(), 1).chain(part -> objects.insertPlanned(tx,
                                plan(lease.runId(), original.groupId(), original.day(), part, keep,
                                        original.id()))))));
        ObjectRow restoring = new ObjectRow(original.id(), original.runId(), original.groupId(), original.day(),
                original.key(), RESTORING, original.eventIds(), original.eventCount(), original.minTime(),
                original.maxTime(), original.summaryJson(), original.sha256(), original.bytes(), original.replaces(),
                lease.runId(), from, to);
        return finishRestore(lease, restoring, lines);
    }

    /** restoring → superseded → removed, reading the object again when {@code lines} is null (after a crash). */
    private Restored finishRestore(Lease lease, ObjectRow original, List<ArchiveFormat.Line> lines) {
        if (lines == null) {
            lines = format.read(readVerified(original));
        }
        List<EventRow> back = new ArrayList<>();
        Map<UUID, byte[]> kept = new LinkedHashMap<>();
        for (ArchiveFormat.Line line : lines) {
            if (inRange(line.event(), original.restoreFrom(), original.restoreTo())) {
                back.add(line.event());
            } else {
                kept.put(line.event().id(), line.raw());
            }
        }
        Set<UUID> inserted = Db.await(eventLog.insertMissing(eventsPool, back));
        crashPoints.reached(CrashPoints.RESTORE_AFTER_INSERT);

        ObjectRow replacement = Db.await(objects.replacementOf(pool, original.id()));
        if (replacement != null && PLANNED.equals(replacement.state())) {
            List<byte[]> rawLines = new ArrayList<>(replacement.eventCount());
            for (UUID id : replacement.eventIds()) {
                rawLines.add(kept.get(id));
            }
            uploadAndVerify(lease, replacement, format.writeLines(rawLines));
        }
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> replacement == null ? Uni.createFrom().item(true)
                        : objects.move(tx, replacement.id(), VERIFIED, ARCHIVED))
                .chain(() -> objects.move(tx, original.id(), RESTORING, SUPERSEDED))));
        removeSuperseded(lease, original);
        return new Restored(inserted.size(), back.size() - inserted.size());
    }

    /** superseded → removed: the object leaves S3 once nothing counts on it. */
    private void removeSuperseded(Lease lease, ObjectRow object) {
        bucket.delete(object.key());
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.move(tx, object.id(), SUPERSEDED, REMOVED))));
    }

    /** An archived object's bytes, refused unless they match the checksum recorded when it was verified. */
    public byte[] readVerified(ObjectRow object) {
        byte[] bytes = bucket.get(object.key());
        String sha = ArchiveBucket.sha256(bytes);
        if (!sha.equals(object.sha256())) {
            throw new ArchiveStorageException("S3 bucket " + bucket.name() + ": object " + object.key()
                    + " does not match its recorded SHA-256 (" + sha + " instead of " + object.sha256() + ")");
        }
        return bytes;
    }

    static boolean inRange(EventRow event, Instant from, Instant to) {
        return !event.timestamp().isBefore(from) && event.timestamp().isBefore(to);
    }
}
