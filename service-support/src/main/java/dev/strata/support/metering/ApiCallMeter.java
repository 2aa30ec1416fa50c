package dev.strata.support.metering;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ApiCallCounted;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.outbox.OutboxStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Counts each group's authenticated API calls and writes them, summed over a short window, as one
 * {@code api_call} event per group through the outbox; quota-service turns them into monthly usage. Counting in
 * memory keeps the request path free of writes; a window that cannot be written is kept and retried.
 */
@ApplicationScoped
public class ApiCallMeter {

    private static final Logger LOG = Logger.getLogger(ApiCallMeter.class);

    private final Map<UUID, LongAdder> counts = new ConcurrentHashMap<>();
    private final Pool pool;
    private final OutboxStore outbox;
    private final EventFactory events;
    private final OutboxRelay relay;
    private final MeteringConfig config;
    private ScheduledExecutorService flusher;
    private volatile Instant windowStart = Instant.now();

    public ApiCallMeter(Pool pool, OutboxStore outbox, EventFactory events, OutboxRelay relay, MeteringConfig config) {
        this.pool = pool;
        this.outbox = outbox;
        this.events = events;
        this.relay = relay;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-call-meter");
            thread.setDaemon(true);
            return thread;
        });
        long period = config.window().toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (flusher != null) {
            flusher.shutdown();
            flushQuietly();
        }
    }

    public void record(UUID groupId) {
        if (config.enabled()) {
            counts.computeIfAbsent(groupId, id -> new LongAdder()).increment();
        }
    }

    /** Writes the current window; returns the number of events written. */
    public int flush() {
        Instant start = windowStart;
        Instant end = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<UUID, Long> window = new HashMap<>();
        for (UUID group : counts.keySet()) {
            LongAdder adder = counts.get(group);
            long taken = adder == null ? 0 : adder.sumThenReset();
            if (taken > 0) {
                window.put(group, taken);
            }
        }
        if (window.isEmpty()) {
            windowStart = end;
            return 0;
        }
        List<EventEnvelope> written = new ArrayList<>();
        try {
            pool.withTransaction(tx -> {
                        io.smallrye.mutiny.Uni<Void> chain =
                                io.smallrye.mutiny.Uni.createFrom().voidItem();
                        for (Map.Entry<UUID, Long> entry : window.entrySet()) {
                            EventEnvelope event = events.create(
                                    EventType.API_CALL,
                                    entry.getKey(),
                                    end,
                                    null,
                                    ApiCallCounted.window(entry.getValue(), events.source(), start, end));
                            written.add(event);
                            chain = chain.chain(() -> outbox.append(tx, entry.getKey(), List.of(event)));
                        }
                        return chain;
                    })
                    .await()
                    .atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            window.forEach((group, count) ->
                    counts.computeIfAbsent(group, id -> new LongAdder()).add(count));
            throw e;
        }
        windowStart = end;
        relay.wake();
        return written.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("Could not write api_call events, keeping the counts for the next window: %s", e.getMessage());
        }
    }
}
