package dev.strata.archival.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What archival wrote to S3, counted once it is recorded: {@code strata.archival.objects} and
 * {@code strata.archival.written} (bytes) by {@code kind} ({@code events}: archive objects of a run, once verified
 * and committed with their hot copies deleted; {@code stream}: segments of the stream archive, once recorded), and
 * {@code strata.archival.events.archived}, the events those archive objects took out of the hot store. An upload
 * that is retried or never recorded (a lost lease, a crash) is counted once, by the step that records it. Every
 * series is registered at start, so that rates exist from zero.
 */
@Startup // the series exist from start, not from the first write
@ApplicationScoped
public class ArchivalMeters {

    public static final String EVENTS = "events";
    public static final String STREAM = "stream";

    private final Map<String, Counter> objects;
    private final Map<String, Counter> bytes;
    private final Counter eventsArchived;

    public ArchivalMeters(MeterRegistry registry) {
        List<String> kinds = List.of(EVENTS, STREAM);
        objects = kinds.stream()
                .collect(Collectors.toMap(
                        Function.identity(),
                        kind -> Counter.builder("strata.archival.objects")
                                .description(
                                        "Objects archival wrote to S3 and recorded, by kind (events: archive objects of runs;"
                                                + " stream: stream archive segments)")
                                .tag("kind", kind)
                                .register(registry)));
        bytes = kinds.stream()
                .collect(Collectors.toMap(
                        Function.identity(),
                        kind -> Counter.builder("strata.archival.written")
                                .description("Bytes of the objects counted in strata.archival.objects, by kind")
                                .baseUnit("bytes")
                                .tag("kind", kind)
                                .register(registry)));
        eventsArchived = Counter.builder("strata.archival.events.archived")
                .description("Events moved from the hot store to archive objects (committed)")
                .register(registry);
    }

    /** Archive objects of a run that committed: how many, their bytes and the events they hold. */
    public void archived(int objectCount, long byteCount, long eventCount) {
        objects.get(EVENTS).increment(objectCount);
        bytes.get(EVENTS).increment(byteCount);
        eventsArchived.increment(eventCount);
    }

    /** One stream archive segment recorded. */
    public void segment(long byteCount) {
        objects.get(STREAM).increment();
        bytes.get(STREAM).increment(byteCount);
    }
}
