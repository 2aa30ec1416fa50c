package dev.strata.archival.service;

import static dev.strata.archival.store.ArchivedObjectStore.ARCHIVED;
import static dev.strata.archival.store.ArchivedObjectStore.EXPIRED;
import static dev.strata.archival.store.ArchivedObjectStore.PLANNED;
import static dev.strata.archival.store.ArchivedObjectStore.REMOVED;
import static dev.strata.archival.store.ArchivedObjectStore.RESTORING;
import static dev.strata.archival.store.ArchivedObjectStore.SUPERSEDED;
import static dev.strata.archival.store.ArchivedObjectStore.VERIFIED;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveBucket.Verification;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.ArchivedObjectStore.Proof;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.EventStore;
import dev.strata.archival.store.LegalHoldStore;
import dev.strata.archival.store.RunStore;
import dev.strata.archival.store.RunStore.BatchRow;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.EventsArchived;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.outbox.OutboxStore;
import dev.strata.support.s3.S3Objects;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The steps one object goes through, each ending in a durable state change (see V2__archived_objects.sql):
 * <ol>
 *   <li>upload and read back until size and SHA-256 match what was sent (S3 only, so several objects can be
 *       under way at once);</li>
 *   <li>record {@code verified}, delete the hot copies and record {@code archived} with its {@code events_archived}
 *       outbox row, in one transaction when the events table shares this service's database; with separate databases
 *       {@code verified} commits first, then the hot copies are deleted, then the rest commits;</li>
 *   <li>for a restore: put the range back into the hot store, write what is left of the object as a replacement,
 *       record the original {@code superseded}, delete it from S3, record {@code removed}.</li>
 * </ol>
 * Any step may be repeated after a crash and changes nothing the second time; {@link #finishUnfinished} is what
 * every run does first.
 */
@ApplicationScoped
public class ObjectArchiver {

    private static final Logger LOG = Logger.getLogger(ObjectArchiver.class);
    /** Objects expired per transaction of {@link #expire}. */
    static final int EXPIRY_PAGE = 100;

    private final Pool pool;
    private final Pool eventsPool;
    private final ArchivedObjectStore objects;
    private final RunStore runs;
    private final EventStore eventStore;
    private final ArchiveBucket bucket;
    private final ArchiveFormat format;
    private final OutboxStore outbox;
    private final OutboxRelay relay;
    private final EventFactory eventFactory;
    private final CrashPoints crashPoints;
    private final LegalHoldStore holds;
    private final ArchivalConfig config;
    private final ArchivalMeters meters;

    public ObjectArchiver(
            Pool pool,
            @ReactiveDataSource("events") Pool eventsPool,
            ArchivedObjectStore objects,
            RunStore runs,
            EventStore eventStore,
            ArchiveBucket bucket,
            ArchiveFormat format,
            OutboxStore outbox,
            OutboxRelay relay,
            EventFactory eventFactory,
            CrashPoints crashPoints,
            LegalHoldStore holds,
            ArchivalConfig config,
            ArchivalMeters meters) {
        this.pool = pool;
        this.eventsPool = eventsPool;
        this.objects = objects;
        this.runs = runs;
        this.eventStore = eventStore;
        this.bucket = bucket;
        this.format = format;
        this.outbox = outbox;
        this.relay = relay;
        this.eventFactory = eventFactory;
        this.crashPoints = crashPoints;
        this.holds = holds;
        this.config = config;
        this.meters = meters;
    }

    /** The S3 key of part {@code part} of a run: {@code events/group=<g>/date=<d>/part-<run>-<n>.ndjson.gz}. */
    public static String key(UUID groupId, LocalDate day, UUID runId, int part) {
        return "events/group=" + groupId + "/date=" + day + "/part-" + runId + "-" + String.format("%05d", part)
                + ArchiveFormat.EXTENSION;
    }

    /** A planned object row for events (in archive order) of one group and day. */
    static ObjectRow plan(UUID runId, UUID groupId, LocalDate day, int part, List<EventRow> events, UUID replaces) {
        return new ObjectRow(
                UUID.randomUUID(),
                runId,
                groupId,
                day,
                key(groupId, day, runId, part),
                PLANNED,
                ids(events),
                events.size(),
                events.get(0).timestamp(),
                events.get(events.size() - 1).timestamp(),
                ObjectSummary.of(events).toJson(),
                null,
                null,
                replaces,
                null,
                null,
                null);
    }

    /** What an upload proved. */
    public record Stored(String sha256, long bytes) {}

    /**
     * Uploads the bytes until they read back identical (or the attempts run out). Touches only S3, so several
     * objects can be uploaded at once; {@link #commitArchive} records what it proved.
     */
    public Stored uploadAndVerify(Lease lease, ObjectRow object, byte[] bytes) {
        String sha = S3Objects.sha256(bytes);
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
        crashPoints.reached(CrashPoints.AFTER_VERIFY);
        return new Stored(sha, bytes.length);
    }

    /** An object that read back as written, waiting for its commit; {@code startedNanos} times its report line. */
    public record Verified(ObjectRow object, Stored stored, long startedNanos) {}

    /**
     * (planned →) verified → archived for objects that read back as written: their hot copies go, they count as
     * archived and each queues one {@code events_archived} event, all in one transaction of a few round trips
     * however many objects it takes. With separate databases they are first recorded verified, then their hot
     * copies are deleted (idempotently), then the rest commits.
     */
    public void commitArchive(Lease lease, List<Verified> batch, boolean recovered) {
        boolean sameDatabase = config.events().sameDatabase();
        List<ObjectRow> committed = new ArrayList<>(batch.size());
        List<Proof> proofs = new ArrayList<>(batch.size());
        List<BatchRow> report = new ArrayList<>(batch.size());
        Map<UUID, List<OutboxEvent>> events = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (Verified verified : batch) {
            ObjectRow object = verified.object();
            committed.add(object);
            proofs.add(new Proof(
                    object.id(), verified.stored().sha256(), verified.stored().bytes()));
            report.add(new BatchRow(
                    0,
                    object.groupId(),
                    object.day(),
                    object.key(),
                    object.eventCount(),
                    0,
                    (now - verified.startedNanos()) / 1_000_000,
                    recovered));
            EventEnvelope archived = archivedEvent(verified);
            events.computeIfAbsent(object.groupId(), group -> new ArrayList<>())
                    .add(new OutboxEvent(UUID.fromString(archived.id()), EventEnvelopeCodec.toJson(archived)));
        }
        if (!sameDatabase) {
            Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                    .chain(() -> each(
                            proofs,
                            proof -> objects.markVerified(tx, proof.id(), proof.sha256(), proof.bytes())
                                    .replaceWithVoid()))));
            Db.await(eventStore.delete(eventsPool, committed));
            crashPoints.reached(CrashPoints.AFTER_EVENTS_DELETE);
        }
        // The statements go to the database together (pipelined, run in this order); any failure rolls back all.
        List<Integer> deleted = Db.await(pool.withTransaction(tx -> {
            List<Uni<Void>> appends = new ArrayList<>();
            events.forEach((group, groupEvents) -> appends.add(outbox.appendEvents(tx, group, groupEvents)));
            return Uni.combine()
                    .all()
                    .unis(
                            runs.fence(tx, lease.runId(), lease.owner()),
                            sameDatabase
                                    ? eventStore.delete(tx, committed)
                                    : Uni.createFrom().item(List.<Integer>of()),
                            objects.markArchived(tx, proofs),
                            Uni.combine().all().unis(appends).discardItems(),
                            runs.addBatches(tx, lease.runId(), report))
                    .asTuple()
                    .map(done -> {
                        if (done.getItem3() != proofs.size()) {
                            throw new IllegalStateException("of objects " + keys(batch) + " only " + done.getItem3()
                                    + " were still planned or verified");
                        }
                        return done.getItem2();
                    });
        }));
        relay.wake();
        meters.archived(
                batch.size(),
                batch.stream().mapToLong(verified -> verified.stored().bytes()).sum(),
                batch.stream()
                        .mapToLong(verified -> verified.object().eventCount())
                        .sum());
        for (int i = 0; i < deleted.size(); i++) {
            ObjectRow object = batch.get(i).object();
            if (deleted.get(i) != object.eventCount()) {
                LOG.warnf(
                        "Object %s holds %d events but %d hot copies were deleted",
                        object.key(), object.eventCount(), deleted.get(i));
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            crashPoints.reached(CrashPoints.AFTER_DELETE);
        }
    }

    private EventEnvelope archivedEvent(Verified verified) {
        ObjectRow object = verified.object();
        ObjectSummary summary = ObjectSummary.fromJson(object.summaryJson());
        return eventFactory.create(
                EventType.EVENTS_ARCHIVED,
                object.groupId(),
                Instant.now(),
                object.id(),
                new EventsArchived(
                        object.groupId(),
                        object.eventCount(),
                        summary.countsByType(),
                        summary.revenueByCurrency().isEmpty() ? null : summary.revenueByCurrency(),
                        object.minTime(),
                        object.maxTime(),
                        object.key(),
                        verified.stored().sha256(),
                        object.day(),
                        object.runId()));
    }

    private static List<String> keys(List<Verified> batch) {
        return batch.stream().map(verified -> verified.object().key()).toList();
    }

    private static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> step) {
        Uni<Void> steps = Uni.createFrom().voidItem();
        for (T item : items) {
            steps = steps.chain(() -> step.apply(item));
        }
        return steps;
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
                case EXPIRED -> removeExpired(lease, object);
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
            List<EventRow> hot = Db.await(eventStore.byIds(eventsPool, object));
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
        commitArchive(lease, List.of(new Verified(object, stored, started)), true);
    }

    /**
     * What a restore did with one object's events in the range: put back, found hot already (the same events: ids
     * are never reused), or left archived because the object was refused ({@code refused} > 0, the object
     * untouched).
     */
    public record Restored(long restored, long alreadyPresent, long refused) {}

    /**
     * Takes {@code [from, to)} out of an archived object: records the restore (and the replacement object for
     * what is left) before touching anything, then finishes it. Returns null when the object holds nothing in
     * the range. Refuses, leaving the object as it is, when an id of the range is hot for another group or
     * another type: ingest never lets an id be reused, so that is data written around it, and restoring would
     * count the archived event as present and drop it from the replacement, i.e. lose it.
     */
    public Restored restore(Lease lease, ObjectRow original, List<ArchiveFormat.Line> lines, Instant from, Instant to) {
        List<EventRow> keep = new ArrayList<>();
        List<EventRow> back = new ArrayList<>();
        for (ArchiveFormat.Line line : lines) {
            if (inRange(line.event(), from, to)) {
                back.add(line.event());
            } else {
                keep.add(line.event());
            }
        }
        if (back.isEmpty()) {
            return null;
        }
        List<UUID> foreign = heldByOthers(back, Db.await(eventStore.hotHolders(eventsPool, ids(back))));
        if (!foreign.isEmpty()) {
            LOG.warnf(
                    "Restore %s refused object %s, left archived as it is: %d of its events in the range have ids"
                            + " that are hot for another group or type (%s)",
                    lease.runId(), original.key(), foreign.size(), sample(foreign));
            return new Restored(0, 0, back.size());
        }
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.markRestoring(tx, original.id(), lease.runId(), from, to))
                .invoke(marked -> {
                    if (!marked) {
                        throw new IllegalStateException("object " + original.key() + " is no longer archived");
                    }
                })
                .chain(() -> keep.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : runs.reserveParts(tx, lease.runId(), 1)
                                .chain(part -> objects.insertPlanned(
                                        tx,
                                        List.of(plan(
                                                lease.runId(),
                                                original.groupId(),
                                                original.day(),
                                                part,
                                                keep,
                                                original.id())))))));
        ObjectRow restoring = new ObjectRow(
                original.id(),
                original.runId(),
                original.groupId(),
                original.day(),
                original.key(),
                RESTORING,
                original.eventIds(),
                original.eventCount(),
                original.minTime(),
                original.maxTime(),
                original.summaryJson(),
                original.sha256(),
                original.bytes(),
                original.replaces(),
                lease.runId(),
                from,
                to);
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
        // Put back and taken off the archived record in one transaction; the ids found hot already are checked in
        // it, after the insert: restore() checked before recording the restore, this closes the time in between.
        UUID[] backIds = ids(back);
        Set<UUID> inserted = Db.await(eventsPool.withTransaction(tx -> eventStore
                .insertMissing(tx, back)
                .call(put -> eventStore.hotHolders(tx, backIds).invoke(hot -> {
                    List<UUID> foreign = heldByOthers(back, hot);
                    if (!foreign.isEmpty()) {
                        throw new IllegalStateException("restore of object " + original.key() + ": " + foreign.size()
                                + " ids of the range became hot for another group or type during the restore ("
                                + sample(foreign) + "); it is left for an operator to inspect");
                    }
                }))
                .call(() -> eventStore.forgetArchived(tx, original.groupId(), backIds))));
        crashPoints.reached(CrashPoints.RESTORE_AFTER_INSERT);

        ObjectRow replacement = Db.await(objects.replacementOf(pool, original.id()));
        Stored uploaded = null;
        if (replacement != null && PLANNED.equals(replacement.state())) {
            List<byte[]> rawLines = new ArrayList<>(replacement.eventCount());
            for (UUID id : replacement.eventIds()) {
                rawLines.add(kept.get(id));
            }
            uploaded = uploadAndVerify(lease, replacement, format.writeLines(rawLines));
        }
        Stored replaced = uploaded;
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> replaced == null
                        ? Uni.createFrom().item(true)
                        : objects.markVerified(tx, replacement.id(), replaced.sha256(), replaced.bytes()))
                .chain(() -> replacement == null
                        ? Uni.createFrom().item(true)
                        : objects.move(tx, replacement.id(), VERIFIED, ARCHIVED))
                .chain(() -> objects.move(tx, original.id(), RESTORING, SUPERSEDED))));
        removeSuperseded(lease, original);
        return new Restored(inserted.size(), back.size() - inserted.size(), 0);
    }

    /** The ids among {@code events} that are hot for another group or as another type of event. */
    private static List<UUID> heldByOthers(List<EventRow> events, Map<UUID, EventStore.Holder> hot) {
        List<UUID> foreign = new ArrayList<>();
        for (EventRow event : events) {
            EventStore.Holder holder = hot.get(event.id());
            if (holder != null
                    && !(holder.groupId().equals(event.groupId())
                            && holder.type().equals(event.type()))) {
                foreign.add(event.id());
            }
        }
        return foreign;
    }

    private static UUID[] ids(List<EventRow> events) {
        UUID[] ids = new UUID[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).id();
        }
        return ids;
    }

    /** Up to five ids, for a log line or an error an operator reads. */
    private static String sample(List<UUID> ids) {
        String shown = ids.stream().limit(5).map(UUID::toString).collect(Collectors.joining(", "));
        return ids.size() > 5 ? shown + ", ..." : shown;
    }

    /** superseded → removed: the object leaves S3 once nothing counts on it. */
    private void removeSuperseded(Lease lease, ObjectRow object) {
        bucket.delete(object.key());
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.move(tx, object.id(), SUPERSEDED, REMOVED))));
    }

    /**
     * The archive's own retention: archived objects whose newest event is older than {@code before} are recorded
     * {@code expired} (not those of a group on legal hold), deleted from S3 and recorded {@code removed}, the next
     * manifest listing their removal; a page of {@value #EXPIRY_PAGE} at a time. Answers how many left S3.
     */
    public int expire(Lease lease, Instant before) {
        int removed = 0;
        while (true) {
            List<ObjectRow> page = Db.await(pool.withTransaction(tx ->
                    runs.fence(tx, lease.runId(), lease.owner()).chain(() -> objects.expire(tx, before, EXPIRY_PAGE))));
            if (!page.isEmpty()) {
                crashPoints.reached(CrashPoints.AFTER_EXPIRE);
            }
            for (ObjectRow object : page) {
                if (removeExpired(lease, object)) {
                    removed++;
                }
            }
            if (page.size() < EXPIRY_PAGE) {
                Db.await(runs.expired(pool, lease.runId(), removed));
                return removed;
            }
        }
    }

    /**
     * expired → removed, the S3 delete made while the group's hold lock is held: a hold placed meanwhile sends the
     * object back to {@code archived} instead. False when it stays.
     */
    private boolean removeExpired(Lease lease, ObjectRow object) {
        SqlConnection connection = Db.await(pool.getConnection());
        try {
            Transaction tx = Db.await(connection.begin());
            Db.await(runs.fence(connection, lease.runId(), lease.owner()));
            Db.await(holds.lock(connection, object.groupId()));
            boolean held = Db.await(holds.find(connection, object.groupId())) != null;
            if (held) {
                Db.await(objects.move(connection, object.id(), EXPIRED, ARCHIVED));
            } else {
                bucket.delete(object.key());
                crashPoints.reached(CrashPoints.AFTER_EXPIRED_DELETE);
                Db.await(objects.move(connection, object.id(), EXPIRED, REMOVED));
            }
            Db.await(tx.commit());
            if (!held) {
                LOG.infof(
                        "Run %s removed %s: its newest event (%s) is older than the archive's retention of %d"
                                + " days",
                        lease.runId(), object.key(), object.maxTime(), config.retentionDays());
            }
            return !held;
        } finally {
            connection.closeAndAwait();
        }
    }

    /** An archived object's bytes, refused unless they match the checksum recorded when it was verified. */
    public byte[] readVerified(ObjectRow object) {
        byte[] bytes = bucket.get(object.key());
        String sha = S3Objects.sha256(bytes);
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
