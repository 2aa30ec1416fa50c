package dev.strata.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.Topics;
import dev.strata.model.ids.UuidV7;
import dev.strata.testing.DeadLetterProbe;
import dev.strata.testing.DeadLetterProbe.DeadLetter;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A record the projections can never apply is quarantined on its own (rejected_events, the dead-letter topic)
 * and the events before and after it in the partition are applied. Test profile:
 * strata.stream.max-record-bytes = 262144.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuarantineTest {

    @Inject
    MeterRegistry registry;

    private static final int MAX_RECORD_BYTES = 262_144;

    /** Before the service's test clock ({@link TestClock#NOW}), so "this month" is known. */
    private static Instant ago(Duration duration) {
        return TestClock.NOW.minus(duration);
    }

    private static byte[] bytes(EventEnvelope event) {
        return EventEnvelopeCodec.toBytes(event);
    }

    private static EventEnvelope event(UUID group, String type, Object data) {
        return EventEnvelope.of(
                UuidV7.next().toString(),
                Scenario.INGEST,
                type,
                ago(Duration.ofMinutes(30)),
                null,
                group,
                Scenario.JSON.valueToTree(data));
    }

    @Test
    void shouldQuarantineEveryKindOfPoisonAndApplyTheEventsAroundIt() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(2)));
        s.things(ago(Duration.ofDays(1)), "A", "user", "Ada", Scenario.JSON.createObjectNode());
        s.apiCalls(5, ago(Duration.ofHours(1)));
        List<byte[]> records =
                new ArrayList<>(s.envelopes.stream().map(QuarantineTest::bytes).toList());
        int before = s.envelopes.size();

        byte[] undecodable = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, '{'};
        byte[] overflowing = bytes(event(s.group, EventType.API_CALL, Map.of("count", Long.MAX_VALUE)));
        byte[] wrongPayload = bytes(event(s.group, EventType.THING_CREATED, "not an object"));
        byte[] oversize = bytes(event(
                s.group,
                EventType.THING_CREATED,
                Map.of(
                        "id",
                        UUID.randomUUID(),
                        "type",
                        "user",
                        "name",
                        "big",
                        "propertiesBytes",
                        10,
                        "properties",
                        Map.of("blob", "x".repeat(MAX_RECORD_BYTES)))));
        assertThat(oversize.length).isGreaterThan(MAX_RECORD_BYTES);
        records.addAll(List.of(undecodable, overflowing, wrongPayload, oversize));

        s.apiCalls(3, ago(Duration.ofMinutes(10)));
        s.things(ago(Duration.ofMinutes(5)), "B", "user", "Bob", Scenario.JSON.createObjectNode());
        s.envelopes.subList(before, s.envelopes.size()).forEach(e -> records.add(bytes(e)));
        StreamWriter.sendBytes(s.group.toString(), records);

        // Everything but the four poison records, before and after them: 5 + 3 calls, Ada and Bob.
        JsonNode metrics = Api.get(s.group, "/groups/" + s.group + "/metrics", Map.of("position", s.lastEventId()))
                .path("_computed");
        assertThat(metrics.path("apiCallsThisMonth").asLong()).isEqualTo(8);
        assertThat(metrics.path("userCount").asLong()).isEqualTo(2);

        List<List<Object>> rejected = TestDatabase.rows("""
                SELECT kafka_offset, kind, octet_length(record) FROM metrics.rejected_events
                WHERE record_key = ? ORDER BY kafka_offset""", s.group.toString());
        assertThat(rejected)
                .extracting(row -> row.get(1))
                .containsExactly("unreadable", "value-out-of-range", "contract", "too-large");
        assertThat(rejected)
                .extracting(row -> ((Number) row.get(2)).intValue())
                .containsExactly(undecodable.length, overflowing.length, wrongPayload.length, oversize.length);
        long first = ((Number) rejected.get(0).get(0)).longValue();
        assertThat(rejected)
                .extracting(row -> ((Number) row.get(0)).longValue())
                .containsExactly(first, first + 1, first + 2, first + 3);

        try (DeadLetterProbe probe = new DeadLetterProbe()) {
            List<DeadLetter> letters = probe.await(s.group.toString(), 4, Duration.ofSeconds(30));
            assertThat(letters)
                    .allSatisfy(letter -> assertThat(letter.headers())
                            .containsEntry("dead-letter-topic", Topics.EVENTS)
                            .containsEntry("dead-letter-consumer", "metrics-service"));
            assertThat(letters)
                    .extracting(l -> l.headers().get("dead-letter-offset"))
                    .contains(
                            Long.toString(first),
                            Long.toString(first + 1),
                            Long.toString(first + 2),
                            Long.toString(first + 3));
        }

        // The operator's gauges (read every few seconds): the records still set aside, and no record left behind.
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            long open = TestDatabase.scalar("SELECT count(*) FROM metrics.rejected_events WHERE reapplied_at IS NULL");
            assertThat(open).isGreaterThanOrEqualTo(4);
            assertThat(registry.get("strata.stream.quarantine.open").gauge().value())
                    .isEqualTo(open);
            assertThat(registry.get("strata.stream.lag")
                            .tag("consumer", "metrics-service")
                            .gauge()
                            .value())
                    .isZero();
        });
    }
}
