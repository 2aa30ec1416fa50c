package dev.strata.quota.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.ontology.Ontology;
import dev.strata.quota.messaging.UsageEventDecoder;
import dev.strata.quota.messaging.UsageEventDecoder.Decoded;
import dev.strata.quota.store.CounterStore.CounterKey;
import dev.strata.quota.store.CounterStore.DailyKey;
import dev.strata.support.messaging.StreamRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Events read by the decoder, summed per counter: one row per key, whatever the batch holds. */
class UsageDeltasTest {

    private static final UUID GROUP = UUID.fromString("0190a000-0000-7000-8000-00000000000a");
    private static final Ontology ONTOLOGY = Ontology.loadDefault();
    // March 2026, keeping three months: January, February and March
    private static final RetentionWindow WINDOW = RetentionWindow.at(Instant.parse("2026-03-15T12:00:00Z"), 3);

    @Test
    void shouldCountAPersonAsEntityUserAndItsPropertiesAsStorage() {
        UsageDeltas deltas = deltas(thingCreated("e1", "user", 120, "2026-03-05T10:00:00Z"));

        assertThat(deltas.counters())
                .containsEntry(total(Metric.ENTITIES_TOTAL), 1L)
                .containsEntry(total(Metric.USERS), 1L)
                .containsEntry(total(Metric.STORAGE_GB), 120L)
                .hasSize(3);
        assertThat(deltas.daily()).containsEntry(day(Metric.STORAGE_GB, "2026-03-05"), 120L);
    }

    @Test
    void shouldNotCountAThingThatIsNoPersonAsUser() {
        UsageDeltas deltas = deltas(thingCreated("e1", "article", 10, "2026-03-05T10:00:00Z"));

        assertThat(deltas.counters()).doesNotContainKey(total(Metric.USERS));
    }

    @Test
    void shouldSumABatchPerCounterAndCountAnUpdateByItsGrowth() {
        UsageDeltas deltas = deltas(
                thingCreated("e1", "user", 120, "2026-03-05T10:00:00Z"),
                thingCreated("e2", "creator", 80, "2026-03-05T11:00:00Z"),
                // 200 bytes after, 120 before: 80 more
                event("e3", "thing_updated", "2026-03-06T09:00:00Z", """
                        {"id": "0190a000-0000-7000-8000-000000000001", "type": "user", "changes": {},
                         "propertiesBytes": 200, "previousPropertiesBytes": 120}"""));

        assertThat(deltas.counters())
                .containsEntry(total(Metric.ENTITIES_TOTAL), 2L)
                .containsEntry(total(Metric.USERS), 2L)
                .containsEntry(total(Metric.STORAGE_GB), 120L + 80L + 80L);
        assertThat(deltas.daily())
                .containsEntry(day(Metric.STORAGE_GB, "2026-03-05"), 200L)
                .containsEntry(day(Metric.STORAGE_GB, "2026-03-06"), 80L);
    }

    @Test
    void shouldDropCountersThatSumToNothing() {
        UsageDeltas deltas = deltas(event("e1", "thing_updated", "2026-03-06T09:00:00Z", """
                {"id": "0190a000-0000-7000-8000-000000000001", "type": "user", "changes": {},
                 "propertiesBytes": 64, "previousPropertiesBytes": 64}"""));

        assertThat(deltas.counters()).isEmpty();
        assertThat(deltas.daily()).isEmpty();
    }

    @Test
    void shouldCountApiCallsInTheUtcMonthOfTheirTime() {
        UsageDeltas deltas = deltas(
                event("e1", "api_call", "2026-02-28T23:59:59Z", "{\"count\": 3}"),
                event("e2", "api_call", "2026-03-01T00:00:00Z", "{\"count\": 4}"));

        assertThat(deltas.counters())
                .containsEntry(new CounterKey(GROUP, Metric.API_CALLS_PER_MONTH.key(), "2026-02"), 3L)
                .containsEntry(new CounterKey(GROUP, Metric.API_CALLS_PER_MONTH.key(), "2026-03"), 4L);
    }

    @Test
    void shouldKeepRunningTotalsButNoHistoryOrMonthBeforeTheRetentionWindow() {
        UsageDeltas deltas = deltas(
                thingCreated("e1", "article", 10, "2025-12-31T23:00:00Z"),
                event("e2", "api_call", "2025-12-31T23:00:00Z", "{\"count\": 5}"));

        assertThat(deltas.counters())
                .containsEntry(total(Metric.ENTITIES_TOTAL), 1L)
                .containsEntry(total(Metric.STORAGE_GB), 10L)
                .doesNotContainKey(new CounterKey(GROUP, Metric.API_CALLS_PER_MONTH.key(), "2025-12"));
        assertThat(deltas.daily()).isEmpty();
    }

    private static UsageDeltas deltas(byte[]... events) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            records.add(new StreamRecord("events", 0, i, GROUP.toString(), Instant.EPOCH, events[i]));
        }
        Decoded decoded = UsageEventDecoder.decode(records);
        assertThat(decoded.rejected()).isEmpty();
        return UsageDeltas.of(decoded.events(), ONTOLOGY, WINDOW);
    }

    private static byte[] thingCreated(String id, String type, int propertiesBytes, String time) {
        return event(id, "thing_created", time, """
                {"id": "0190a000-0000-7000-8000-000000000001", "type": "%s", "name": "n", "status": "active",
                 "properties": {}, "propertiesBytes": %d}""".formatted(type, propertiesBytes));
    }

    private static byte[] event(String id, String type, String time, String data) {
        JsonNode payload;
        try {
            payload = EventEnvelopeCodec.mapper().readTree(data);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return EventEnvelopeCodec.toBytes(new EventEnvelope(
                EventEnvelope.SPEC_VERSION,
                id,
                "/strata/test",
                type,
                Instant.parse(time),
                null,
                EventEnvelope.JSON,
                GROUP.toString(),
                EventEnvelope.SCHEMA_VERSION,
                payload));
    }

    private static CounterKey total(Metric metric) {
        return new CounterKey(GROUP, metric.key(), Metric.TOTAL);
    }

    private static DailyKey day(Metric metric, String day) {
        return new DailyKey(GROUP, metric.key(), LocalDate.parse(day));
    }
}
