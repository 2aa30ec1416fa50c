package dev.strata.quota;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.connectionCreated;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ThresholdTest {

    static List<EventEnvelope> outbox(UUID group) {
        return TestDatabase.rows("SELECT payload FROM quota.outbox WHERE group_id = ? ORDER BY position", group)
                .stream().map(row -> EventEnvelopeCodec.fromJson((String) row.get(0))).toList();
    }

    static List<Integer> thresholds(UUID group) {
        return outbox(group).stream().map(e -> e.data().get("threshold").asInt()).toList();
    }

    private static List<EventEnvelope> things(UUID group, int n) {
        List<EventEnvelope> things = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            things.add(thingCreated(group, "video", 0));
        }
        return things;
    }

    private static void sendAndAwait(UUID group, List<EventEnvelope> events, int entities) {
        send(events);
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(entities)));
    }

    @Test
    void shouldWriteOneEventPerCrossingAndNoneWhenTheTriggeringEventsAreRedelivered() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"));
        awaitGroup(group);
        setOverrides(group, "{\"entities_total\": 20}");
        List<EventEnvelope> sent = new ArrayList<>();

        List<EventEnvelope> first = things(group, 15); // 75 %
        sendAndAwait(group, first, 15);
        sent.addAll(first);
        assertThat(outbox(group)).isEmpty();

        List<EventEnvelope> second = things(group, 1); // 80 %
        sendAndAwait(group, second, 16);
        sent.addAll(second);
        assertThat(thresholds(group)).containsExactly(80);

        List<EventEnvelope> third = things(group, 3); // 95 %
        sendAndAwait(group, third, 19);
        sent.addAll(third);
        List<EventEnvelope> fourth = things(group, 1); // 100 %
        sendAndAwait(group, fourth, 20);
        sent.addAll(fourth);
        assertThat(thresholds(group)).containsExactly(80, 95, 100);

        EventEnvelope eighty = outbox(group).get(0);
        assertThat(eighty.type()).isEqualTo("quota_threshold_crossed");
        assertThat(eighty.source()).isEqualTo("/strata/quota-service");
        assertThat(eighty.groupid()).isEqualTo(group.toString());
        assertThat(eighty.data().get("metric").asText()).isEqualTo("entities_total");
        assertThat(eighty.data().get("current").asLong()).isEqualTo(16);
        assertThat(eighty.data().get("limit").asLong()).isEqualTo(20);
        assertThat(eighty.data().get("period").asText()).isEqualTo("total");
        assertThat(eighty.data().get("plan").asText()).isEqualTo("pro");
        assertThat(TestDatabase.scalar("SELECT count(DISTINCT event_id) FROM quota.outbox WHERE group_id = ?", group))
                .isEqualTo(3);

        send(sent); // redelivery of every triggering event
        send(connectionCreated(group)); // a marker behind them
        eventually(() -> quotas(group).body("quotas.connections_total.current", equalTo(1)));
        assertThat(thresholds(group)).containsExactly(80, 95, 100);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.threshold_crossings WHERE group_id = ?", group))
                .isEqualTo(3);
    }

    @Test
    void shouldWriteEveryThresholdABatchJumpsAcrossOncePerMonth() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "starter"));
        awaitGroup(group);
        // starter: 1,000 api calls a month; one event takes each month from 0 to 100 %
        send(apiCalls(group, 1000, Instant.parse("2030-09-10T00:00:00Z")));
        eventually(() -> assertThat(outbox(group)).hasSize(3));
        send(apiCalls(group, 1, Instant.parse("2030-09-11T00:00:00Z")),
                apiCalls(group, 1200, Instant.parse("2030-10-02T00:00:00Z")));
        eventually(() -> assertThat(outbox(group)).hasSize(6));

        List<EventEnvelope> events = outbox(group);
        assertThat(events.stream().map(e -> e.data().get("period").asText() + "/" + e.data().get("threshold").asInt()))
                .containsExactly("2030-09/80", "2030-09/95", "2030-09/100",
                        "2030-10/80", "2030-10/95", "2030-10/100");
        assertThat(events.get(5).data().get("current").asLong()).isEqualTo(1200);
        assertThat(events.get(5).data().get("limit").asLong()).isEqualTo(1000);
        assertThat(events.get(5).data().get("plan").asText()).isEqualTo("starter");
    }
}
