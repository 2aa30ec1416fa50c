package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.quota.QuotaGate;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.ingest.service.ThingBatchService.Prepared;
import dev.strata.ingest.service.ThingRules.NewThing;
import dev.strata.ingest.store.ImportJobStore;
import dev.strata.ingest.store.ImportJobStore.ImportJob;
import dev.strata.model.ids.UuidV7;
import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs import jobs, one at a time per replica, on a thread of its own. A job is read a chunk at a time
 * ({@code strata.ingest.imports.chunk-size} things) and each chunk is validated like a batch and written in its
 * own transaction together with the job's progress, so a job that stops (crash, shutdown, lost database) resumes
 * after its last committed chunk and never writes an item twice. A chunk in which nothing is valid only adds to
 * the failures. The job keeps the first {@code max-reported-errors} item errors and counts all of them.
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
    private final String node;
    private final Semaphore wakeUp = new Semaphore(0);

    private volatile boolean running;
    private ExecutorService executor;

    public ImportWorker(Pool pool, ImportJobStore jobs, ThingBatchService things, BatchParser parser,
                        OutboxRelay relay, IngestConfig config, ObjectMapper mapper, QuotaGate quota) {
        this.pool = pool;
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
        try {
            int orphans = jobs.requeueOrphans(pool, node).await().atMost(DATABASE_TIMEOUT);
            if (orphans > 0) {
                LOG.infof("Re-queued %d import job(s) this replica (%s) was running when it stopped", orphans, node);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not re-queue interrupted import jobs (their lease will free them): %s", e.getMessage());
        }
        while (running) {
            try {
                ImportJob job = jobs.claim(pool, node, config.sharedSpool(), config.leaseTimeout())
                        .await().atMost(DATABASE_TIMEOUT);
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

    private void run(ImportJob job) {
        Path file = Path.of(job.spoolPath());
        if (job.attempts() > config.maxAttempts()) {
            finishFailed(job, file, "Gave up after " + config.maxAttempts() + " attempts"
                    + (job.error() == null ? "." : "; the last failure: " + job.error()));
            return;
        }
        if (!Files.isReadable(file)) {
            finishFailed(job, file, "The uploaded body is no longer available; please upload it again.");
            return;
        }
        LOG.infof("Import %s: %s from item %d (attempt %d)", job.id(), job.processed() == 0 ? "starting" : "resuming",
                job.processed(), job.attempts());
        BatchOptions options = new BatchOptions(false, job.defaultStatus());
        int reported = job.reportedErrors();
        try (ImportReader reader = ImportReader.open(file, job.format(), parser)) {
            reader.skip(job.processed());
            // While one chunk's transaction runs in the database, the next chunk is read and validated here:
            // the two cores work at once. Chunks still commit one after the other, in order.
            CompletableFuture<Integer> inFlight = null;
            while (true) {
                if (!running) {
                    awaitChunk(inFlight);
                    jobs.release(pool, job.id(), job.claim(), "interrupted: the replica stopped")
                            .await().atMost(DATABASE_TIMEOUT);
                    return;
                }
                List<NewThing> items = new ArrayList<>(config.chunkSize());
                List<FieldError> itemErrors = new ArrayList<>();
                if (reader.read(config.chunkSize(), things.validator(), items, itemErrors) == 0) {
                    break;
                }
                Prepared prepared = things.prepareChunk(job.groupId(), items, itemErrors, options, UuidV7.next(),
                        job.id());
                reported += awaitChunk(inFlight);
                inFlight = writeChunk(job, prepared, items.size(), reported, reader.bytesRead());
            }
            awaitChunk(inFlight);
        } catch (LostClaim e) {
            LOG.infof("Import %s: taken over by another worker; this one stops", job.id());
            return;
        } catch (ProblemException e) {
            finishFailed(job, file, e.problem().detail()); // the body breaks its format: no retry can help
            return;
        } catch (IOException | UncheckedIOException e) {
            finishFailed(job, file, "The uploaded body could not be read: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warnf("Import %s: failed, handing it back to the queue: %s", job.id(), e.getMessage());
            try {
                jobs.release(pool, job.id(), job.claim(), e.getMessage()).await().atMost(DATABASE_TIMEOUT);
            } catch (RuntimeException again) {
                LOG.warnf("Import %s: could not hand it back (its lease will free it): %s", job.id(),
                        again.getMessage());
            }
            pause();
            return;
        }
        if (jobs.succeed(pool, job.id(), job.claim()).await().atMost(DATABASE_TIMEOUT)) {
            ImportService.delete(file);
            LOG.infof("Import %s: done", job.id());
        }
    }

    /**
     * Starts writing one chunk and the job's progress in one transaction (after reserving its quota, like a batch:
     * a refusal fails the job, chunks already written stay); completes with how many errors it added to the job.
     */
    private CompletableFuture<Integer> writeChunk(ImportJob job, Prepared prepared, int size, int reported,
                                                  long bytesRead) {
        BatchResult result = prepared.result();
        List<FieldError> errors = result.errors();
        int room = Math.max(0, config.maxReportedErrors() - reported);
        List<FieldError> kept = errors.size() <= room ? errors : errors.subList(0, room);
        String keptJson = toJson(kept);
        return quota.reserve(job.groupId(), result.batchId(), things.demand(prepared))
                .chain(granted -> quota.transaction(tx -> Uni.combine().all()
                                .unis(jobs.recordChunk(tx, job.id(), job.claim(), size, result.summary().success(),
                                                result.failed(), keptJson, bytesRead),
                                        recordWrite(tx, job, granted))
                                .asTuple()
                                .call(recorded -> recorded.getItem1() ? things.write(tx, job.groupId(), prepared)
                                        : Uni.createFrom().failure(new LostClaim())), () -> granted))
                .invoke(relay::wake)
                .replaceWith(kept.size())
                .subscribeAsCompletionStage();
    }

    /**
     * A chunk that was granted quota records its batch id with its rows. Its reservations were granted before this
     * transaction began: should it begin only after they were given up (past their TTL, quota-service asked and
     * ingest answered "abandoned"), the record fails the chunk, which is then written again under a new batch id.
     */
    private Uni<Void> recordWrite(SqlConnection tx, ImportJob job, QuotaGate.Granted granted) {
        return granted.ids().isEmpty() ? Uni.createFrom().voidItem()
                : quota.recordWrite(tx, job.groupId(), granted.reference());
    }

    /** Waits for a chunk started by {@link #writeChunk}; its failure is rethrown as it was. */
    private static int awaitChunk(CompletableFuture<Integer> chunk) {
        if (chunk == null) {
            return 0;
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
            ImportService.delete(file);
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
