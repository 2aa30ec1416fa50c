package dev.strata.archival.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.archival.store.ArchiveBucket;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.ArchiveStorageException;
import dev.strata.archival.store.ArchivedObjectStore;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.RunStore;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.support.s3.S3Objects;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One manifest per run, {@code manifests/run=<id>.json}, written last: the run's commit record. It lists every
 * object committed since the previous manifest (with event count, SHA-256, size and time span) and every object
 * a restore took out of the archive. Which objects a manifest lists is decided in the database first (claimed
 * for the run), so a run that dies between claiming and writing has its manifest written by the next run, with
 * the same content: every committed object appears in exactly one manifest, and replaying the manifests in
 * order gives the archive's contents.
 */
@ApplicationScoped
public class ManifestWriter {

    public static final String FORMAT = "ndjson.gz";

    private static final ObjectMapper JSON =
            EventEnvelopeCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Pool pool;
    private final RunStore runs;
    private final ArchivedObjectStore objects;
    private final ArchiveBucket bucket;
    private final CrashPoints crashPoints;

    public ManifestWriter(
            Pool pool, RunStore runs, ArchivedObjectStore objects, ArchiveBucket bucket, CrashPoints crashPoints) {
        this.pool = pool;
        this.runs = runs;
        this.objects = objects;
        this.bucket = bucket;
        this.crashPoints = crashPoints;
    }

    public static String key(UUID runId) {
        return "manifests/run=" + runId + ".json";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(
            UUID runId,
            String kind,
            String trigger,
            UUID groupId,
            Instant startedAt,
            Instant committedAt,
            String bucket,
            String format,
            List<Entry> objects,
            List<Entry> removed,
            Totals totals) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String key,
            UUID groupId,
            LocalDate date,
            int eventCount,
            String sha256,
            Long bytes,
            Instant minTime,
            Instant maxTime,
            UUID plannedBy,
            UUID replaces,
            UUID removedBy) {}

    public record Totals(int objects, long events, long bytes, int removed) {}

    /** Claims what is unlisted for the run, then writes its manifest; returns the key. */
    public String write(Lease lease) {
        Db.await(pool.withTransaction(tx -> runs.fence(tx, lease.runId(), lease.owner())
                .chain(() -> objects.claimForManifest(tx, lease.runId()))
                .chain(() -> runs.manifestClaimed(tx, lease.runId()))));
        crashPoints.reached(CrashPoints.BEFORE_MANIFEST);
        return writeClaimed(Db.await(runs.find(pool, lease.runId())));
    }

    /** Writes the manifests of runs that claimed objects and died before writing them. */
    public void writeMissing() {
        for (ArchiveRun run : Db.await(runs.unwrittenManifests(pool))) {
            writeClaimed(run);
        }
    }

    private String writeClaimed(ArchiveRun run) {
        List<ObjectRow> added = Db.await(objects.addedBy(pool, run.id()));
        List<ObjectRow> removed = Db.await(objects.removedBy(pool, run.id()));
        long events = 0;
        long bytes = 0;
        for (ObjectRow object : added) {
            events += object.eventCount();
            bytes += object.bytes() == null ? 0 : object.bytes();
        }
        Manifest manifest = new Manifest(
                run.id(),
                run.kind(),
                run.trigger(),
                run.groupId(),
                run.startedAt(),
                run.manifestClaimedAt(),
                bucket.name(),
                FORMAT,
                added.stream().map(o -> entry(o, null)).toList(),
                // removed by the restore that superseded it, or, expired past the archive's retention, by this run
                removed.stream()
                        .map(o -> entry(o, o.restoreRunId() != null ? o.restoreRunId() : run.id()))
                        .toList(),
                new Totals(added.size(), events, bytes, removed.size()));
        byte[] json = toJson(manifest);
        String key = key(run.id());
        String sha = S3Objects.sha256(json);
        bucket.put(key, json, "application/json", Map.of("sha256", sha));
        ArchiveBucket.Verification verification = bucket.verify(key, sha, json.length);
        if (!verification.ok()) {
            throw new ArchiveStorageException("S3 bucket " + bucket.name() + ": manifest " + key
                    + " did not read back as written: " + verification.problem());
        }
        Db.await(runs.manifestWritten(pool, run.id(), key));
        return key;
    }

    private static Entry entry(ObjectRow object, UUID removedBy) {
        return new Entry(
                object.key(),
                object.groupId(),
                object.day(),
                object.eventCount(),
                object.sha256(),
                object.bytes(),
                object.minTime(),
                object.maxTime(),
                object.runId(),
                object.replaces(),
                removedBy);
    }

    private static byte[] toJson(Manifest manifest) {
        try {
            return JSON.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
