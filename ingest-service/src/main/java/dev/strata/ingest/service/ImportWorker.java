package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.client.QuotaGate;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.ThingBatchService.Prepared;
import dev.strata.ingest.service.ThingRules.NewThing;
import dev.strata.ingest.store.BatchOutcomeStore;
import dev.strata.ingest.store.ImportJobStore;
import dev.strata.ingest.store.ImportJobStore.ImportJob;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.messaging.StreamFailures;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs import jobs, one at a time per replica, on a thread of its own. A job is read a chunk at a time
 * ({@code strata.ingest.imports.chunk-size} things) and each chunk is validated like a batch and written in its
 * own transaction together with the job's progress, so a job that stops (crash, shutdown, lost database) resumes
 * after its last committed chunk and never writes an item twice. A chunk in which nothing is valid only adds to
 * the failures. The job keeps the first {@code max-reported-errors} item errors and counts all of them.
 *
 * <p>Transient failures (quota-service or the database away, conflicts, a chunk timeout) are waited out for as long
 * as they last, the job kept; a quota refusal or a body that breaks its format fails the job; only failures of
 * unknown kind count towards {@code max-attempts} (ingest-service README, "Job recovery").
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(5);

    private final Pool pool;
    private final QuotaGate quota;
    private final ImportJobStore jobs;
    private final ThingBatchService things;
    private final BatchParser parser;
    private final OutboxRelay relay;
    private final IngestConfig.Imports config;
    private final ObjectMapper mapper;
    private final ImportSpool spool;
    private final IngestMeters meters;
    private final String node;
    private final Semaphore wakeUp = new Semaphore(0);

    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private ExecutorService executor;

    public ImportWorker(
            Pool pool,
            ImportJobStore jobs,
            ThingBatchService things,
            BatchParser parser,
            OutboxRelay relay,
            IngestConfig config,
            ObjectMapper mapper,
            QuotaGate quota,
            ImportSpool spool,
            IngestMeters meters) {
        this.pool = pool;
        this.spool = spool;
        this.meters = meters;
        this.quota = quota;
        this.jobs = jobs;
        this.things = things;
        this.parser = parser;
        this.relay = relay;
        this.config = config.imports();
        this.mapper = mapper;
        this.node = ImportService.nodeName(this.config);
    }

    /** Thrown when another worker has taken the job over; this one must stop without writing. */
    private static final class LostClaim extends RuntimeException {
        LostClaim() {
            super("the job was claimed by another worker", null, false, false);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopping = new CountDownLatch(1);
        executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "import-worker");
            thread.setDaemon(true);
            return thread;
        });
        executor.submit(this::loop);
    }

    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopping.countDown();
        wake();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Called after a job is queued on this replica, so it starts without waiting for the next poll. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void loop() {
        boolean orphansRequeued = false;
        while (running) {
            try {
                if (!orphansRequeued) {
                    // Before the first claim, or this replica would take back its own jobs of this run.
                    int orphans = jobs.requeueOrphans(pool, node).await().atMost(DATABASE_TIMEOUT);
                    orphansRequeued = true;
                    if (orphans > 0) {
                        LOG.infof(
                                "Re-queued %d import job(s) this replica (%s) was running when it stopped",
                                orphans, node);
                    }
                }
                ImportJob job = jobs.claim(pool, node, config.sharedSpool(), config.leaseTimeout(), spooledHere())
                        .await()
                        .atMost(DATABASE_TIMEOUT);
                if (job == null) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                } else {
                    run(job);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Import worker failed, retrying in %s: %s", config.pollInterval(), e.getMessage());
                pause();
            }
        }
    }

    /**
     * The spool files in this replica's spool directory. Their jobs are this replica's to run even when they were
     * received under another node name (a replica that died and came back renamed, the files on the same disk).
     */
    private List<String> spooledHere() {
        if (config.sharedSpool()) {
            return List.of(); // every job is claimable anyway
        }
        Path directory = spool.directory();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("import-"))
                    .map(Path::toString)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf("Cannot list the spool directory %s: %s", directory, e.getMessage());
            return List.of();
        }
    }

    /**
     * Runs a claimed job to its end, or until this replica stops or loses it. Transient failures are waited out
     * with the claim kept (see {@link #waitOut}); a quota refusal and a body that breaks its format fail the job;
     * any other failure hands it back to the queue and counts towards {@code max-attempts}.
     */
    private void run(ImportJob claimed) {
        ImportJob job = claimed;
        Path file = null;
        Backoff backoff = new Backoff();
        while (true) {
            String reason;
            try {
                if (file == null) {
                    file = spool.open(job.id(), job.format(), job.spoolPath());
                }
                if (write(job, file)) {
                    if (jobs.succeed(pool, job.id(), job.claim()).await().atMost(DATABASE_TIMEOUT)) {
                        spool.discard(job.spoolPath(), file);
                        LOG.infof("Import %s: done", job.id());
                    }
                }
                return;
            } catch (ImportSpool.BodyGone e) {
                finishFailed(job, null, e.getMessage());
                return;
            } catch (ImportSpool.StoreUnavailable e) {
                reason = e.getMessage();
            } catch (LostClaim e) {
                LOG.infof("Import %s: taken over by another worker; this one stops", job.id());
                return;
            } catch (ChunkRefused e) {
                finishFailed(job, file, e.getMessage());
                return;
            } catch (ProblemException e) {
                if (!isTransientProblem(e)) {
                    finishFailed(job, file, e.problem().detail()); // the body breaks its format: no retry can help
                    return;
                }
                reason = e.problem().detail();
            } catch (IOException | UncheckedIOException e) {
                finishFailed(job, file, "The uploaded body could not be read: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    giveBack(job, file, e);
                    return;
                }
                reason = describe(e);
            }
            if (!running) {
                handBack(job);
                return;
            }
            job = waitOut(job, reason, backoff);
            if (job == null) {
                return;
            }
        }
    }

    /**
     * Writes the job from its last committed item to the end of its body. Answers true once every chunk is
     * committed, false if this replica is stopping (the job was handed back).
     */
    private boolean write(ImportJob job, Path file) throws IOException {
        LOG.infof(
                "Import %s: %s from item %d",
                job.id(), job.processed() == 0 ? "starting" : "resuming", job.processed());
        BatchOptions options = new BatchOptions(false, job.defaultStatus());
        int reported = job.reportedErrors();
        long position = job.processed();
        long created = job.created();
        try (ImportReader reader = ImportReader.open(file, job.format(), parser)) {
            reader.skip(job.processed());
            // While one chunk's transaction runs in the database, the next chunk is read and validated here:
            // the two cores work at once. Chunks still commit one after the other, in order.
            CompletableFuture<Written> inFlight = null;
            while (true) {
                if (!running) {
                    awaitChunk(inFlight);
                    handBack(job);
                    return false;
                }
                List<NewThing> items = new ArrayList<>(config.chunkSize());
                List<FieldError> itemErrors = new ArrayList<>();
                if (reader.read(config.chunkSize(), things.validator(), items, itemErrors) == 0) {
                    break;
                }
                Prepared prepared =
                        things.prepareChunk(job.groupId(), items, itemErrors, options, UuidV7.next(), job.id());
                Written previous = awaitChunk(inFlight);
                reported += previous.keptErrors();
                created += previous.created();
                inFlight = writeChunk(job, prepared, position, items.size(), created, reported, reader.bytesRead());
                position += items.size();
            }
            awaitChunk(inFlight);
        }
        return true;
    }

    /** What a committed chunk added to the job. */
    private record Written(int keptErrors, int created) {

        static final Written NOTHING = new Written(0, 0);
    }

    /** A chunk that quota-service refused: the job ends, and says where it stopped. */
    private static final class ChunkRefused extends RuntimeException {
        ChunkRefused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts writing one chunk and the job's progress in one transaction (after reserving its quota, like a batch:
     * a refusal fails the job, chunks already written stay); completes with what it added to the job.
     *
     * @param first the chunk's first item, counted from 0 across the whole body
     * @param createdBefore the things the job wrote before this chunk
     */
    private CompletableFuture<Written> writeChunk(
            ImportJob job, Prepared prepared, long first, int size, long createdBefore, int reported, long bytesRead) {
        BatchResult result = prepared.result();
        List<FieldError> errors = result.errors();
        int room = Math.max(0, config.maxReportedErrors() - reported);
        List<FieldError> kept = errors.size() <= room ? errors : errors.subList(0, room);
        String keptJson = toJson(kept);
        int created = result.summary().success();
        return quota.reserve(job.groupId(), result.batchId(), things.demand(prepared))
                .onFailure(ImportWorker::isQuotaRefusal)
                .transform(e -> refused((ProblemException) e, first, size, createdBefore))
                .chain(granted -> quota.transaction(
                        tx -> Uni.combine()
                                .all()
                                .unis(
                                        jobs.recordChunk(
                                                tx,
                                                job.id(),
                                                job.claim(),
                                                size,
                                                created,
                                                result.failed(),
                                                keptJson,
                                                bytesRead),
                                        recordWrite(tx, job, granted))
                                .asTuple()
                                .call(recorded -> recorded.getItem1()
                                        ? things.write(tx, job.groupId(), prepared)
                                        : Uni.createFrom().failure(new LostClaim())),
                        () -> granted))
                .invoke(relay::wake)
                .invoke(() ->
                        meters.written(IngestMeters.THINGS, prepared.rows().size()))
                .replaceWith(new Written(kept.size(), created))
                .subscribeAsCompletionStage();
    }

    /**
     * Why a refused chunk ended its job. The items before it stay written (they are a prefix of the body), so the
     * message says where the rest begins.
     */
    private static ChunkRefused refused(ProblemException refusal, long first, int size, long createdBefore) {
        Problem problem = refusal.problem();
        Object metric = problem.extensions().get("metric");
        StringBuilder message = new StringBuilder("Quota refused the chunk of items ")
                .append(first)
                .append('-')
                .append(first + size - 1)
                .append(" (numbered from 0)");
        if (metric != null) {
            message.append(" for ")
                    .append(metric)
                    .append(" (limit ")
                    .append(problem.extensions().get("limit"))
                    .append(", current ")
                    .append(problem.extensions().get("current"))
                    .append(", requested ")
                    .append(problem.extensions().get("requested"))
                    .append(')');
        }
        message.append(": ")
                .append(problem.detail())
                .append(". ")
                .append(createdBefore)
                .append(" things were written from the ")
                .append(first)
                .append(" items before it; nothing from item ")
                .append(first)
                .append(" on was written.");
        return new ChunkRefused(message.toString());
    }
    /**
     * A chunk that was granted quota records its batch id with its rows. Its reservations were granted before this
     * transaction began: should it begin only after they were given up (past their TTL, quota-service asked and
     * ingest answered "abandoned"), the record fails the chunk, which is then written again under a new batch id.
     */
    private Uni<Void> recordWrite(SqlConnection tx, ImportJob job, QuotaGate.Granted granted) {
        return granted.ids().isEmpty()
                ? Uni.createFrom().voidItem()
                : quota.recordWrite(tx, job.groupId(), granted.reference());
    }

    /** Waits for a chunk started by {@link #writeChunk}; its failure is rethrown as it was. */
    private static Written awaitChunk(CompletableFuture<Written> chunk) {
        if (chunk == null) {
            return Written.NOTHING;
        }
        try {
            return chunk.get(CHUNK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a chunk did not commit within " + CHUNK_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a chunk was being written", e);
        }
    }

    private void finishFailed(ImportJob job, Path file, String error) {
        LOG.infof("Import %s: failed: %s", job.id(), error);
        if (jobs.fail(pool, job.id(), job.claim(), error).await().atMost(DATABASE_TIMEOUT)) {
            spool.discard(job.spoolPath(), file);
        }
    }

    /** The wait before the next retry: doubling while the job stays stuck at one item, reset once it moved. */
    private final class Backoff {
        private Duration wait = config.retryBackoff();
        private long stuckAt = -1;

        Duration next(long position) {
            wait = position == stuckAt ? min(wait.multipliedBy(2), config.retryMaxBackoff()) : config.retryBackoff();
            stuckAt = position;
            return wait;
        }

        Duration again() {
            return next(stuckAt);
        }
    }

    /**
     * Waits out a transient failure, keeping the job: renews the claim (fencing off a chunk of the failed try that
     * may still be in flight, reading back what it committed, recording why the job waits, renewing the lease),
     * then waits. The database itself may be what is away: then the renewal is tried again, with the same back-off,
     * for as long as it takes. Answers the job as it now stands, or null if this worker is stopping or lost it.
     */
    private ImportJob waitOut(ImportJob job, String reason, Backoff backoff) {
        String note = "Waiting to retry after a transient failure: " + reason;
        UUID renewedClaim = UUID.randomUUID();
        while (running) {
            ImportJob renewed;
            try {
                renewed = jobs.renewClaim(pool, job.id(), job.claim(), renewedClaim, note)
                        .await()
                        .atMost(DATABASE_TIMEOUT);
            } catch (RuntimeException e) {
                Duration wait = backoff.again();
                LOG.warnf("Import %s: cannot record its wait (%s); trying again in %s", job.id(), describe(e), wait);
                if (!sleep(wait)) {
                    return null;
                }
                continue;
            }
            if (renewed == null) {
                LOG.infof("Import %s: taken over by another worker; this one stops", job.id());
                return null;
            }
            Duration wait = backoff.next(renewed.processed());
            LOG.warnf(
                    "Import %s: transient failure at item %d, retrying in %s: %s",
                    job.id(), renewed.processed(), wait, reason);
            if (!sleep(wait)) {
                handBack(renewed);
                return null;
            }
            return renewed;
        }
        return null;
    }

    /**
     * This replica stops: the job goes back to the queue, not counted as an attempt. Its claim ends with it, so a
     * chunk still in flight can no longer commit. If the database cannot be reached, the job keeps this replica's
     * name, which re-queues it when it starts again (or its lease frees it).
     */
    private void handBack(ImportJob job) {
        try {
            jobs.release(pool, job.id(), job.claim(), "interrupted: the replica stopped", false)
                    .await()
                    .atMost(DATABASE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.infof(
                    "Import %s: could not hand it back (this replica re-queues it when it starts again): %s",
                    job.id(), describe(e));
        }
    }

    /**
     * A failure of unknown kind: the job goes back to the queue and the failure counts; after {@code max-attempts}
     * of them the job fails for good.
     */
    private void giveBack(ImportJob job, Path file, RuntimeException failure) {
        String reason = describe(failure);
        int attempts = job.attempts() + 1;
        if (attempts >= config.maxAttempts()) {
            finishFailed(job, file, "Gave up after " + attempts + " failed attempts; the last failure: " + reason);
            return;
        }
        LOG.warnf(
                failure,
                "Import %s: failed (attempt %d of %d), handing it back to the queue: %s",
                job.id(),
                attempts,
                config.maxAttempts(),
                reason);
        try {
            jobs.release(pool, job.id(), job.claim(), reason, true).await().atMost(DATABASE_TIMEOUT);
        } catch (RuntimeException again) {
            LOG.warnf("Import %s: could not hand it back (its lease will free it): %s", job.id(), again.getMessage());
        }
        pause();
    }

    /** Whether trying again can help: the stream consumers' verdict, plus what only an import chunk meets. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException problem) {
                return isTransientProblem(problem);
            }
            // quota-service asked about the chunk's reservations and ingest declared its batch id abandoned:
            // the chunk is written again under a new batch id
            if (BatchOutcomeStore.isFenced(t)) {
                return true;
            }
        }
        return StreamFailures.isTransient(failure);
    }

    /** quota-service (or another party) could not answer: 503 {@code service-unavailable}. */
    private static boolean isTransientProblem(ProblemException failure) {
        return failure.problem().status() == ProblemType.SERVICE_UNAVAILABLE.status();
    }

    private static boolean isQuotaRefusal(Throwable failure) {
        return failure instanceof ProblemException problem
                && ProblemType.QUOTA_EXCEEDED.uri().equals(problem.problem().type());
    }

    /** A failure as the job's {@code error} shows it: the message of its first cause that has one. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem.problem().detail();
            }
            if (!(t instanceof CompletionException || t instanceof ExecutionException)
                    && t.getMessage() != null
                    && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return StreamFailures.of(failure).kind();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Waits, unless this replica is stopping; answers false if it is. */
    private boolean sleep(Duration wait) {
        try {
            return !stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS) && running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pause() {
        try {
            wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String toJson(List<FieldError> errors) {
        try {
            return mapper.writeValueAsString(errors);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize item errors", e);
        }
    }
}
