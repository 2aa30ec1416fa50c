package dev.strata.archival.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Named points between the steps of a run where tests make the replica "die" ({@link #crashAt}) or wait
 * ({@link #holdAt}). A crash throws {@link SimulatedCrash}, which the runner lets through without touching the
 * database, so the run is left exactly as a killed process would leave it: still running, heartbeat stopping.
 * Once one thread of a run has "died", every other thread of it dies at its next point too (uploads run on
 * several threads), until the next run starts ({@link #runStarting}). Nothing is armed unless a test arms it.
 */
@ApplicationScoped
public class CrashPoints {

    /** Objects of a page are recorded as planned; nothing uploaded yet. */
    public static final String AFTER_PLAN = "afterPlan";
    /** An object is in S3, not yet read back. */
    public static final String AFTER_UPLOAD = "afterUpload";
    /** An object is verified; its events are still hot. */
    public static final String AFTER_VERIFY = "afterVerify";
    /** Separate databases only: hot copies deleted, bookkeeping and events_archived not yet committed. */
    public static final String AFTER_EVENTS_DELETE = "afterEventsDelete";
    /** An object is committed (hot copies deleted, events_archived queued); the manifest is not written. */
    public static final String AFTER_DELETE = "afterDelete";
    /** The run claimed its objects for the manifest but did not write it. */
    public static final String BEFORE_MANIFEST = "beforeManifest";
    /** A page of objects past the archive's retention is recorded expired; none is deleted from S3 yet. */
    public static final String AFTER_EXPIRE = "afterExpire";
    /** An expired object is deleted from S3; its row is not yet recorded removed. */
    public static final String AFTER_EXPIRED_DELETE = "afterExpiredDelete";
    /** A restore put events back into the hot store; the object still holds them. */
    public static final String RESTORE_AFTER_INSERT = "restoreAfterInsert";

    private static final Logger LOG = Logger.getLogger(CrashPoints.class);

    private final Map<String, AtomicInteger> crashes = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private volatile String dead;

    /** Crashes the next time {@code point} is reached. */
    public void crashAt(String point) {
        crashAt(point, 0);
    }

    /** Lets {@code point} pass {@code passes} times, then crashes. */
    public void crashAt(String point, int passes) {
        crashes.put(point, new AtomicInteger(passes));
    }

    /** Makes the run wait at {@code point} until the returned latch is counted down (at most a minute). */
    public CountDownLatch holdAt(String point) {
        CountDownLatch latch = new CountDownLatch(1);
        holds.put(point, latch);
        return latch;
    }

    public void reset() {
        dead = null;
        crashes.clear();
        holds.values().forEach(CountDownLatch::countDown);
        holds.clear();
    }

    /** A run begins on this replica: whatever "died" before is gone. */
    public void runStarting() {
        dead = null;
    }

    /** Called by the runner at each point. */
    public void reached(String point) {
        String died = dead;
        if (died != null) {
            throw new SimulatedCrash(died);
        }
        CountDownLatch hold = holds.remove(point);
        if (hold != null) {
            try {
                hold.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AtomicInteger passes = crashes.get(point);
        if (passes != null && passes.getAndDecrement() <= 0) {
            dead = point;
            crashes.remove(point);
            LOG.warnf("Simulated crash at %s", point);
            throw new SimulatedCrash(point);
        }
    }

    /** The replica "died" at a crash point. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String point) {
            super("simulated crash at " + point, null, false, false);
        }
    }
}
