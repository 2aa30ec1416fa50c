package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.UUID;

/**
 * How timed writes are paced. {@code settle} (the default): before the next timed write, wait until the consumers
 * have applied the previous one (metrics-service has applied the batch's position, quota-service has applied
 * everything on the topic), so each write is timed on a stack that is not still busy with the benchmark's own backlog.
 * {@code back-to-back}: no wait, every write queues behind the consumers' work on the previous ones. A consumer
 * that is not running is not waited for. {@code STRATA_BENCH_PACE} chooses.
 */
final class Settle {

    private final Stack stack;
    private final boolean settle;

    Settle(Stack stack) {
        this.stack = stack;
        String pace = Stack.env("STRATA_BENCH_PACE", "settle");
        if (!pace.equals("settle") && !pace.equals("back-to-back")) {
            throw new IllegalArgumentException("STRATA_BENCH_PACE must be settle or back-to-back, not " + pace);
        }
        this.settle = pace.equals("settle");
    }

    /** Whether timed writes wait for the consumers ({@code settle}) rather than run back to back. */
    boolean settles() {
        return settle;
    }

    String describe() {
        return settle
                ? "settle (each timed write starts once quota-service and metrics-service applied the previous)"
                : "back-to-back (no wait for the consumers between timed writes)";
    }

    /** After a write that answered {@code position} for {@code group}: wait for the consumers, if pacing says so. */
    void after(UUID group, String position) throws InterruptedException {
        if (settle) {
            await(group, position, 60);
        }
    }

    /**
     * Waits, whatever the pacing, until metrics-service applied {@code position} of {@code group} and quota-service
     * applied everything on the topic, for at most {@code seconds}: between suites, so that one suite's backlog
     * (a million-item import, say) is not the next one's load.
     */
    void await(UUID group, String position, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try {
            while (position != null && System.nanoTime() < deadline) {
                JsonNode answer = stack.getJson(stack.metrics + "/groups/" + group + "/metrics?position=" + position);
                if (!answer.path("_freshness").path("stale").asBoolean()) {
                    break;
                }
            }
        } catch (ConnectException | HttpTimeoutException e) {
            // metrics-service is not running: nothing to wait for
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        quotaCaughtUp(deadline);
    }

    /**
     * Waits until quota-service has applied everything on the topic (or it is not running): its
     * {@code totalAppliedLag}, which counts what it applied before the offsets are committed (every few seconds).
     */
    private void quotaCaughtUp(long deadline) throws InterruptedException {
        try {
            while (System.nanoTime() < deadline) {
                if (stack.getJson(stack.quota + "/admin/quotas/lag")
                                .path("totalAppliedLag")
                                .asLong()
                        == 0) {
                    return;
                }
                Thread.sleep(5);
            }
        } catch (ConnectException | HttpTimeoutException e) {
            // quota-service is not running
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
