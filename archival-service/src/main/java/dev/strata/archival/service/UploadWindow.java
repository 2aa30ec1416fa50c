package dev.strata.archival.service;

import dev.strata.archival.service.ObjectArchiver.Stored;
import dev.strata.archival.service.ObjectArchiver.Verified;
import dev.strata.archival.store.ArchivedObjectStore.ObjectRow;
import dev.strata.archival.store.EventRow;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The planned objects of one run between planning and commit. Up to {@code concurrency} of them are written,
 * uploaded and read back at once on worker threads (each once its plan has committed), across pages and groups,
 * while the run's thread goes on selecting and planning. One committer thread commits them, strictly in the order
 * they were planned, each time with every object that is ready (several per transaction): events still leave the
 * hot store oldest first, and only after their object read back as written. At most twice {@code concurrency}
 * objects wait uncommitted; the run's thread waits when there are that many.
 *
 * <p>Once any upload or commit fails (or a test's simulated crash hits a thread), nothing more is committed and no new upload
 * starts: the run stops as a killed process would, and every object it leaves uncommitted is planned (or, with
 * separate databases, verified), which the next run finishes under the same key. {@link #close} waits for the
 * uploads under way, so no thread of a run outlives it.
 */
final class UploadWindow implements AutoCloseable {

    /** One step of the run in plan order: an object to commit, or something to do once all before it are. */
    private record Entry(ObjectRow object, CompletableFuture<Stored> stored, long startedNanos, Runnable then) {}

    private final Lease lease;
    private final ObjectArchiver archiver;
    private final ArchiveFormat format;
    private final CrashPoints crashPoints;
    private final int capacity;
    private final ExecutorService uploads;
    private final ExecutorService committer;
    private final Deque<Entry> entries = new ConcurrentLinkedDeque<>();
    private int uncommitted;
    private volatile RuntimeException stopped;

    UploadWindow(Lease lease, ObjectArchiver archiver, ArchiveFormat format, CrashPoints crashPoints, int concurrency) {
        this.lease = lease;
        this.archiver = archiver;
        this.format = format;
        this.crashPoints = crashPoints;
        this.capacity = 2 * Math.max(1, concurrency);
        this.uploads = Executors.newFixedThreadPool(Math.max(1, concurrency), threads("archival-upload-"));
        this.committer = Executors.newSingleThreadExecutor(threads("archival-commit-"));
    }

    /**
     * Starts the upload of a planned object holding {@code events} once {@code planned} (its plan) has committed;
     * waits while the window is full. Throws what stopped the run, if anything did.
     */
    void upload(ObjectRow object, List<EventRow> events, CompletableFuture<Void> planned) {
        synchronized (this) {
            while (uncommitted >= capacity && stopped == null) {
                waitForCommitter();
            }
            if (stopped != null) {
                throw stopped;
            }
            uncommitted++;
        }
        long started = System.nanoTime();
        CompletableFuture<Stored> stored = CompletableFuture.supplyAsync(
                () -> {
                    if (stopped != null) {
                        throw new CancellationException("the run stopped");
                    }
                    try {
                        Db.await(Uni.createFrom().completionStage(planned));
                        crashPoints.reached(CrashPoints.AFTER_PLAN);
                        return archiver.uploadAndVerify(lease, object, format.write(events));
                    } catch (RuntimeException e) {
                        RuntimeException cause =
                                e instanceof CompletionException && e.getCause() instanceof RuntimeException
                                        ? (RuntimeException) e.getCause()
                                        : e;
                        stop(cause);
                        throw cause;
                    }
                },
                uploads);
        entries.addLast(new Entry(object, stored, started, null));
        stored.whenComplete((done, failure) -> wakeCommitter());
    }

    /** Runs {@code action} on the committer thread once everything added before it is committed. */
    void then(Runnable action) {
        entries.addLast(new Entry(null, null, 0, action));
        wakeCommitter();
    }

    /** Waits until everything is committed; throws what stopped the run, if anything did. */
    synchronized void drain() {
        while (!entries.isEmpty() && stopped == null) {
            waitForCommitter();
        }
        if (stopped != null) {
            throw stopped;
        }
    }

    /** Objects planned but not committed (for the failure report). */
    List<ObjectRow> uncommitted() {
        List<ObjectRow> objects = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.object() != null) {
                objects.add(entry.object());
            }
        }
        return objects;
    }

    /** Milliseconds since the oldest uncommitted object was handed over. */
    long oldestMillis() {
        for (Entry entry : entries) {
            if (entry.object() != null) {
                return (System.nanoTime() - entry.startedNanos()) / 1_000_000;
            }
        }
        return 0;
    }

    private void wakeCommitter() {
        try {
            committer.execute(this::commitReady);
        } catch (RejectedExecutionException closed) {
            // the run is over: nothing more is committed
        }
    }

    /** On the committer thread: runs the actions and commits the objects that are ready, in order. */
    private void commitReady() {
        try {
            while (stopped == null && !entries.isEmpty()) {
                Entry head = entries.peekFirst();
                if (head.object() == null) {
                    head.then().run();
                    entries.removeFirst();
                    continue;
                }
                List<Verified> batch = new ArrayList<>();
                for (Entry entry : entries) {
                    if (entry.object() == null
                            || !entry.stored().isDone()
                            || entry.stored().isCompletedExceptionally()) {
                        break;
                    }
                    batch.add(new Verified(entry.object(), entry.stored().join(), entry.startedNanos()));
                }
                if (batch.isEmpty() || stopped != null) {
                    return; // the head is still uploading (its end wakes us), or an upload failed
                }
                archiver.commitArchive(lease, batch, false);
                for (int i = 0; i < batch.size(); i++) {
                    entries.removeFirst();
                }
                synchronized (this) {
                    uncommitted -= batch.size();
                    notifyAll();
                }
            }
        } catch (RuntimeException e) {
            stop(e);
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private synchronized void stop(RuntimeException reason) {
        if (stopped == null) {
            stopped = reason;
        }
        notifyAll();
    }

    private void waitForCommitter() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for uploads", e);
        }
    }

    /** Lets the uploads under way finish (each leaves its object planned or verified) and ends the threads. */
    @Override
    public void close() {
        if (!entries.isEmpty()) {
            stop(new CancellationException("the run stopped"));
        }
        for (ExecutorService threads : List.of(uploads, committer)) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(2, TimeUnit.MINUTES)) {
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                threads.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
