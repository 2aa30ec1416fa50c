package dev.strata.ingest.service;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.store.GroupRepository;
import dev.strata.ingest.store.ImportJobEntity;
import dev.strata.ingest.store.ImportJobRepository;
import dev.strata.ingest.store.ImportJobStore;
import dev.strata.ingest.store.ImportJobStore.ImportJob;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Accepts import jobs: the body is streamed to a spool file (never held in memory, cut off at the configured
 * maximum), kept where the job will be read from ({@link ImportSpool}: the file, or S3), and a queued job row points
 * at it; {@link ImportWorker} does the rest ({@link #submit} runs on a worker thread). Also reads jobs, one or a
 * group's newest.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final GroupRepository groups;
    private final ImportJobRepository jobs;
    private final ImportJobStore jobList;
    private final ImportWorker worker;
    private final IngestConfig.Imports config;
    private final BatchParser parser;
    private final ImportSpool spool;
    private final String node;

    public ImportService(
            Pool pool,
            GroupRepository groups,
            ImportJobRepository jobs,
            ImportJobStore jobList,
            ImportWorker worker,
            IngestConfig config,
            BatchParser parser,
            ImportSpool spool) {
        this.pool = pool;
        this.groups = groups;
        this.jobs = jobs;
        this.jobList = jobList;
        this.worker = worker;
        this.config = config.imports();
        this.parser = parser;
        this.spool = spool;
        this.node = nodeName(this.config);
    }

    /** This replica's name in the job table. */
    static String nodeName(IngestConfig.Imports config) {
        return config.node().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }

    /** The job; null if there is none. */
    public Uni<ImportJob> find(UUID id) {
        return jobs.find(id).map(job -> job == null ? null : job.toJob());
    }

    /** The group's newest {@code limit} jobs, newest first, without their item errors. */
    public Uni<List<ImportJob>> newest(UUID groupId, int limit) {
        return groups.find(groupId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No group " + groupId + "."))
                .chain(found -> jobList.newest(pool, groupId, limit));
    }

    /** The job an upload created, or the one an earlier upload with the same Idempotency-Key did. */
    public record Submitted(UUID id, String status, boolean replayed) {}

    /**
     * Spools the body and queues the job. With an Idempotency-Key that an earlier upload to the group used, nothing
     * is spooled or queued: the same request (format, options and body, compared by SHA-256 once the body is read)
     * is answered with that upload's job, another one with 409.
     *
     * @param format         {@code ndjson} or {@code csv}
     * @param idempotencyKey the client's key for this upload; null for none
     */
    public Submitted submit(
            UUID groupId, String format, BatchOptions options, InputStream body, String idempotencyKey) {
        if (options.atomic()) {
            throw PathIds.invalid("atomic", "is not available for imports: each chunk commits on its own");
        }
        if (await(() -> groups.find(groupId)) == null) {
            throw ProblemException.notFound("No group " + groupId + ".");
        }
        MessageDigest digest = requestDigest(format, options);
        if (idempotencyKey != null) {
            ImportJobEntity earlier = await(() -> jobs.findByKey(groupId, idempotencyKey));
            if (earlier != null) {
                try (OutputStream discard = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                    body.transferTo(discard);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the body of a repeated import", e);
                }
                return replay(earlier, hex(digest));
            }
        }
        UUID id = UuidV7.next();
        Path file = spool.newFile(id, format);
        String kept = null;
        try {
            long bytes = copy(body, file, digest);
            if (bytes == 0) {
                throw ProblemException.badRequest("The body is empty.");
            }
            if (ImportReader.CSV.equals(format)) {
                // The header is read now, so a file the worker could never read is refused while the client waits.
                try (ImportReader ignored = ImportReader.open(file, format, parser)) {
                    LOG.debugf("Import %s: CSV header accepted", id);
                }
            }
            String hash = idempotencyKey == null ? null : hex(digest);
            try {
                kept = spool.keep(id, format, file);
            } catch (ImportSpool.StoreUnavailable e) {
                throw ProblemException.of(
                        ProblemType.SERVICE_UNAVAILABLE, e.getMessage() + " Nothing was queued; try again.");
            }
            ImportJobEntity job = new ImportJobEntity();
            job.id = id;
            job.groupId = groupId;
            job.status = "queued";
            job.format = format;
            job.defaultStatus = options.defaultStatus();
            job.spoolPath = kept;
            job.spoolNode = node;
            job.bytes = bytes;
            job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            job.idempotencyKey = idempotencyKey;
            job.requestSha256 = hash;
            try {
                await(() -> Panache.withTransaction(() -> jobs.persist(job)));
            } catch (RuntimeException e) {
                if (!ImportJobRepository.isKeyTaken(e)) {
                    throw e;
                }
                // Another upload with the same key was queued meanwhile: this one is its repeat.
                spool.discard(kept, file);
                return replay(await(() -> jobs.findByKey(groupId, idempotencyKey)), hash);
            }
        } catch (IOException e) {
            spool.discard(kept, file);
            throw new UncheckedIOException("cannot spool import " + id, e);
        } catch (RuntimeException e) {
            spool.discard(kept, file);
            throw e;
        }
        worker.wake();
        return new Submitted(id, "queued", false);
    }

    /**
     * Runs a database step from this worker thread on a Vert.x context (Hibernate Reactive's sessions live there)
     * and waits for it.
     */
    private static <T> T await(Supplier<Uni<T>> step) {
        try {
            return VertxContextSupport.subscribeAndAwait(
                    () -> step.get().ifNoItem().after(DATABASE_TIMEOUT).fail());
        } catch (Throwable e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e);
        }
    }

    private static Submitted replay(ImportJobEntity earlier, String hash) {
        if (!earlier.requestSha256.equals(hash)) {
            throw ProblemException.of(
                    ProblemType.CONFLICT,
                    "This Idempotency-Key was already used for a different import (another body, format or"
                            + " options); job " + earlier.id + " holds it.");
        }
        return new Submitted(earlier.id, earlier.status, true);
    }

    /** SHA-256 of the request: the format and default status, then the body as it is read. */
    private static MessageDigest requestDigest(String format, BatchOptions options) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((format + "\n" + options.defaultStatus() + "\n").getBytes(StandardCharsets.UTF_8));
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Copies the body to the file. The platform's limit for the import path ({@code LimitedInputStream},
     * {@code strata.ingest.imports.max-body-bytes}) refuses it as soon as it passes the limit; the caller then
     * deletes the file.
     */
    private static long copy(InputStream body, Path file, MessageDigest digest) throws IOException {
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            return body.transferTo(out);
        }
    }
}
