package dev.strata.quota;

import static dev.strata.quota.QuotaApi.EVENTUALLY;
import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.connectionCreated;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static dev.strata.testing.EventStreamProbe.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.QuotaThresholdCrossed;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Threshold crossings as the rest of the platform sees them: {@code quota_threshold_crossed} events on the topic,
 * published by the outbox relay (which then deletes the rows).
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ThresholdTest {

    /** Long enough for a wrongly written crossing to reach the topic: the relay polls every 100 ms. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private EventStreamProbe probe;

    @BeforeEach
    void openProbe() {
        probe = new EventStreamProbe();
    }

    @AfterEach
    void closeProbe() {
        probe.close();
    }

    private List<EventEnvelope> crossings(UUID group, int expected) {
        return probe.await(group, ofType(EventType.QUOTA_THRESHOLD_CROSSED), expected, EVENTUALLY);
    }

    /** Every crossing of the group on the topic, after giving the stream a moment. */
    private List<EventEnvelope> allCrossings(UUID group) {
        awaitOutboxEmpty(group);
        return probe.all(group, SETTLE).stream()
                .filter(ofType(EventType.QUOTA_THRESHOLD_CROSSED))
                .toList();
    }

    private static List<Integer> thresholds(List<EventEnvelope> events) {
        return events.stream().map(e -> crossing(e).threshold()).toList();
    }

    private static QuotaThresholdCrossed crossing(EventEnvelope event) {
        return EventEnvelopeCodec.payload(event, QuotaThresholdCrossed.class);
    }

    /** The relay published (and deleted) every row of the group. */
    private static void awaitOutboxEmpty(UUID group) {
        eventually(() -> assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.outbox WHERE group_id = ?", group))
                .isEqualTo(0L));
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
    void shouldPublishOneEventPerCrossingAndNoneWhenTheTriggeringEventsAreRedelivered() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"));
        awaitGroup(group);
        setOverrides(group, "{\"entities_total\": 20}");
        List<EventEnvelope> sent = new ArrayList<>();

        List<EventEnvelope> first = things(group, 15); // 75 %
        sendAndAwait(group, first, 15);
        sent.addAll(first);
        assertThat(allCrossings(group)).isEmpty();

        List<EventEnvelope> second = things(group, 1); // 80 %
        sendAndAwait(group, second, 16);
        sent.addAll(second);
        assertThat(thresholds(crossings(group, 1))).containsExactly(80);

        List<EventEnvelope> third = things(group, 3); // 95 %
        sendAndAwait(group, third, 19);
        sent.addAll(third);
        List<EventEnvelope> fourth = things(group, 1); // 100 %
        sendAndAwait(group, fourth, 20);
        sent.addAll(fourth);
        assertThat(thresholds(crossings(group, 3))).containsExactly(80, 95, 100);

        EventEnvelope eighty = crossings(group, 1).get(0);
        assertThat(eighty.type()).isEqualTo("quota_threshold_crossed");
        assertThat(eighty.source()).isEqualTo("/strata/quota-service");
        assertThat(eighty.groupid()).isEqualTo(group.toString());
        assertThat(crossing(eighty))
                .isEqualTo(new QuotaThresholdCrossed(
                        "entities_total", 80, new BigDecimal("16"), new BigDecimal("20"), "total", "pro"));

        send(sent); // redelivery of every triggering event
        send(connectionCreated(group)); // a marker behind them
        eventually(() -> quotas(group).body("quotas.connections_total.current", equalTo(1)));
        List<EventEnvelope> all = allCrossings(group);
        assertThat(thresholds(all)).containsExactly(80, 95, 100);
        assertThat(all.stream().map(EventEnvelope::id).distinct()).hasSize(3);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.threshold_crossings WHERE group_id = ?", group))
                .isEqualTo(3L);
    }

    @Test
    void shouldPublishEveryThresholdABatchJumpsAcrossOncePerMonth() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "starter"));
        awaitGroup(group);
        // starter: 1,000 api calls a month; one event takes each month from 0 to 100 %
        send(apiCalls(group, 1000, Instant.parse("2030-09-10T00:00:00Z")));
        crossings(group, 3);
        send(
                apiCalls(group, 1, Instant.parse("2030-09-11T00:00:00Z")),
                apiCalls(group, 1200, Instant.parse("2030-10-02T00:00:00Z")));
        crossings(group, 6);

        List<EventEnvelope> events = allCrossings(group);
        assertThat(events.stream()
                        .map(e -> crossing(e).period() + "/" + crossing(e).threshold()))
                .containsExactly("2030-09/80", "2030-09/95", "2030-09/100", "2030-10/80", "2030-10/95", "2030-10/100");
        assertThat(crossing(events.get(5)))
                .isEqualTo(new QuotaThresholdCrossed(
                        "api_calls_per_month",
                        100,
                        new BigDecimal("1200"),
                        new BigDecimal("1000"),
                        "2030-10",
                        "starter"));
    }
}
