package dev.strata.ingest.service;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets a bounded number of large batch bodies be read and written at once. A batch holds its items in memory
 * from parsing until its transaction ends, a few times its body's size; the body limit bounds one batch, and this
 * gate bounds how many such batches share the heap, whoever sends them. Small batches never wait. A body waits
 * on the worker thread that reads it (the request's input is paused meanwhile) and, after
 * {@code strata.ingest.large-batches.max-wait}, is answered 503.
 */
@ApplicationScoped
public class LargeBatchGate {

    private final Semaphore permits;
    private final long thresholdBytes;
    private final Duration maxWait;

    @Inject
    public LargeBatchGate(IngestConfig config) {
        this(
                config.largeBatches().thresholdBytes(),
                config.largeBatches().concurrency(),
                config.largeBatches().maxWait());
    }

    LargeBatchGate(long thresholdBytes, int concurrency, Duration maxWait) {
        this.thresholdBytes = thresholdBytes;
        this.maxWait = maxWait;
        this.permits = new Semaphore(Math.max(1, concurrency), true);
    }

    long thresholdBytes() {
        return thresholdBytes;
    }

    void enter() {
        boolean entered;
        try {
            entered = permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entered = false;
        }
        if (!entered) {
            throw new ProblemException(Problem.of(
                            ProblemType.SERVICE_UNAVAILABLE,
                            "Other large batches are being written; retry in a few seconds.")
                    .withExtension("limit", "strata.ingest.large-batches.concurrency"));
        }
    }

    void leave() {
        permits.release();
    }
}
