package dev.strata.model.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.events.payload.ThingCreated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * Measures how fast a consumer turns stream records into payload records: the event read with its data skipped and
 * the payload bound from the bytes afterwards ({@link EventEnvelopeCodec#read(byte[])} then
 * {@link EventRecord#payload(Class)}), against both in one pass ({@link EventEnvelopeCodec#read(byte[], Function)}).
 * A plain {@code main}, not a test: rounds alternate in one JVM after a warm-up, medians printed. The records are
 * {@code thing_created} events as ingest writes them (a user with a few properties, about 520 bytes).
 */
public final class DecodeThroughput {

    private static final int RECORDS = 200_000;
    private static final int ROUNDS = 9;

    public static void main(String[] args) {
        List<byte[]> records = records();
        Function<String, Class<?>> payloads = type -> EventType.THING_CREATED.equals(type) ? ThingCreated.class : null;
        long[] twoPasses = new long[ROUNDS];
        long[] onePass = new long[ROUNDS];
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            twoPasses(records);
            onePass(records, payloads);
        }
        for (int round = 0; round < ROUNDS; round++) {
            twoPasses[round] = twoPasses(records);
            onePass[round] = onePass(records, payloads);
        }
        System.out.printf(
                Locale.ROOT,
                "%,d thing_created records of about %d bytes: read then bind %,.0f records/s, one pass %,.0f records/s%n",
                RECORDS,
                records.get(0).length,
                rate(twoPasses),
                rate(onePass));
    }

    private static long twoPasses(List<byte[]> records) {
        long start = System.nanoTime();
        long sum = 0;
        for (byte[] record : records) {
            sum += EventEnvelopeCodec.read(record)
                    .payload(ThingCreated.class)
                    .name()
                    .length();
        }
        return elapsed(start, sum);
    }

    private static long onePass(List<byte[]> records, Function<String, Class<?>> payloads) {
        long start = System.nanoTime();
        long sum = 0;
        for (byte[] record : records) {
            sum += EventEnvelopeCodec.read(record, payloads)
                    .payload(ThingCreated.class)
                    .name()
                    .length();
        }
        return elapsed(start, sum);
    }

    private static long elapsed(long start, long sum) {
        long nanos = System.nanoTime() - start;
        if (sum == 0) {
            throw new IllegalStateException("nothing was read");
        }
        return nanos;
    }

    private static double rate(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return RECORDS / (sorted[sorted.length / 2] / 1e9);
    }

    private static List<byte[]> records() {
        UUID group = UUID.randomUUID();
        UUID batch = UUID.randomUUID();
        Instant now = Instant.now();
        List<byte[]> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            ObjectNode properties = JsonNodeFactory.instance
                    .objectNode()
                    .put("email", "user" + i + "@example.com")
                    .put("country", "FR")
                    .put("followers", i % 1000)
                    .put("bio", "Writes about video " + i);
            ThingCreated thing =
                    new ThingCreated(UUID.randomUUID(), "user", "User " + i, "active", properties, 96, now, batch);
            records.add(EventEnvelopeCodec.toJson(
                            UUID.randomUUID().toString(),
                            "/strata/ingest-service",
                            EventType.THING_CREATED,
                            now,
                            thing.id().toString(),
                            group,
                            thing)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
