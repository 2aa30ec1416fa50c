package dev.strata.ingest.service;

import dev.strata.ingest.service.BatchExecutor.Answer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code strata.ingest.rows}: rows ingest wrote, by {@code kind} (things, connections, events, knowledge), counted
 * once their transaction committed: a batch rolled back (refused by quota, atomic with an invalid item) or answered
 * from its Idempotency-Key counts nothing. Every kind is registered at start, so that rates exist from zero.
 */
@Startup // the series exist from start, not from the first write
@ApplicationScoped
public class IngestMeters {

    public static final String THINGS = "things";
    public static final String CONNECTIONS = "connections";
    public static final String EVENTS = "events";
    public static final String KNOWLEDGE = "knowledge";

    private final Map<String, Counter> rows = new LinkedHashMap<>();

    public IngestMeters(MeterRegistry registry) {
        for (String kind : List.of(THINGS, CONNECTIONS, EVENTS, KNOWLEDGE)) {
            rows.put(
                    kind,
                    Counter.builder("strata.ingest.rows")
                            .description("Rows ingest wrote (committed), by kind")
                            .tag("kind", kind)
                            .register(registry));
        }
    }

    /** Counts rows of {@code kind} whose transaction committed. */
    public void written(String kind, int count) {
        if (count > 0) {
            rows.get(kind).increment(count);
        }
    }

    /**
     * Counts {@code written} rows of {@code kind} once {@code write} answers, unless the answer is a stored one
     * (a repeated Idempotency-Key, which writes nothing); a failed write counts nothing.
     */
    public Uni<Answer> counting(String kind, IntSupplier written, Uni<Answer> write) {
        return write.invoke(answer -> {
            if (!answer.replayed()) {
                written(kind, written.getAsInt());
            }
        });
    }
}
