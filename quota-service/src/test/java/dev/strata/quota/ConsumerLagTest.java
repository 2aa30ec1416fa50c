package dev.strata.quota;

import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.quota.messaging.ConsumerPositions;
import dev.strata.quota.messaging.UsageLag;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ConsumerLagTest {

    @Inject
    ConsumerPositions positions;

    private static JsonPath lag() {
        return asAdmin()
                .get("/admin/quotas/lag")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void shouldReportOffsetsPerPartitionAndTheEventToCounterLag() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"), apiCalls(group, 1, Instant.now().minusSeconds(60)));

        // null until the first batch is applied
        eventually(() -> assertThat(lag().<Number>get("applied.maxMs"))
                .isNotNull()
                .extracting(Number::longValue)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG)
                .isGreaterThanOrEqualTo(60_000L));
        JsonPath lag = lag();
        assertThat(lag.getString("topic")).isEqualTo("strata.events");
        assertThat(lag.getString("consumerGroup")).isEqualTo("quota-service");
        List<Map<String, Object>> partitions = lag.getList("partitions");
        assertThat(partitions).extracting(p -> p.get("partition")).containsExactly(0, 1, 2, 3, 4, 5);
        long total = 0;
        long appliedTotal = 0;
        for (Map<String, Object> p : partitions) {
            long committed = p.get("committedOffset") == null ? 0 : ((Number) p.get("committedOffset")).longValue();
            long end = ((Number) p.get("endOffset")).longValue();
            assertThat(((Number) p.get("lag")).longValue()).isEqualTo(end - committed);
            total += end - committed;
            // neither committed nor applied by this replica, which knows what it applied before the commit
            long applied = p.get("appliedOffset") == null ? 0 : ((Number) p.get("appliedOffset")).longValue();
            assertThat(((Number) p.get("appliedLag")).longValue()).isEqualTo(end - Math.max(committed, applied));
            appliedTotal += end - Math.max(committed, applied);
        }
        assertThat(lag.getLong("totalLag")).isEqualTo(total);
        assertThat(lag.getLong("totalAppliedLag")).isEqualTo(appliedTotal);
        int partition = positions.partitionOf(group.toString()).await().indefinitely();
        assertThat(((Number) partitions.get(partition).get("appliedOffset")).longValue())
                .as("the partition of the group's events")
                .isPositive();
        assertThat(lag.getLong("applied.eventsApplied")).isGreaterThanOrEqualTo(2);
        assertThat(lag.getLong("applied.p50Ms")).isLessThanOrEqualTo(lag.getLong("applied.p99Ms"));
        assertThat(lag.getLong("applied.p99Ms")).isLessThanOrEqualTo(lag.getLong("applied.maxMs"));
        assertThat(lag.getString("applied.lastAppliedAt")).isNotNull();

        // Once the consumer has committed what it applied, nothing is behind.
        eventually(() -> assertThat(lag().getLong("totalLag")).isZero());
    }

    @Test
    void shouldTakePercentilesOverTheLastBatchesOnly() {
        UsageLag lag = new UsageLag(2);
        Instant applied = Instant.parse("2030-01-01T00:00:10Z");
        lag.record(
                applied,
                IntStream.rangeClosed(1, 100)
                        .mapToObj(ms -> applied.minusMillis(ms))
                        .toList());
        UsageLag.Snapshot first = lag.snapshot();
        assertThat(List.of(first.p50Ms(), first.p99Ms(), first.maxMs())).containsExactly(50L, 99L, 100L);
        assertThat(first.lastEventTime()).isEqualTo(applied.minusMillis(1));

        lag.record(applied.plusSeconds(1), List.of(applied.minusSeconds(1)));
        lag.record(applied.plusSeconds(3), List.of(applied));
        lag.record(applied.plusSeconds(4), List.of()); // a batch of duplicates only: nothing to measure
        // the first batch is no longer kept: lags 2,000 and 3,000 ms
        assertThat(lag.snapshot())
                .isEqualTo(new UsageLag.Snapshot(3, 102, 2, 2, applied.plusSeconds(3), applied, 2000L, 3000L, 3000L));
    }

    @Test
    void shouldMeasureTheEventsOfAnOpenWindow() {
        UUID group = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        JsonPath opened = asAdmin()
                .post("/admin/quotas/lag/window?groupId={g}", group)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(opened.getString("groupId")).isEqualTo(group.toString());
        assertThat(lag().getString("window.openedAt")).isEqualTo(opened.getString("openedAt"));
        send(groupCreated(other, "pro"), apiCalls(other, 1, Instant.now()));
        send(groupCreated(group, "pro"), apiCalls(group, 1, Instant.now()));

        // the other group's events are applied too, but only the window's group counts
        eventually(() -> assertThat(lag().getLong("window.events")).isEqualTo(2));
        JsonPath window = lag();
        assertThat(window.getLong("window.batches")).isBetween(1L, 2L);
        assertThat(window.getLong("window.p50Ms")).isLessThanOrEqualTo(window.getLong("window.p99Ms"));
        assertThat(window.getLong("window.p99Ms")).isLessThanOrEqualTo(window.getLong("window.maxMs"));
        assertThat(window.getLong("window.fromTopicP50Ms"))
                .isLessThanOrEqualTo(window.getLong("window.fromTopicP99Ms"));
        asAdmin().post("/admin/quotas/lag/window?groupId=not-a-uuid").then().statusCode(400);
    }

    @Test
    void shouldCountEveryEventTimedSinceTheOpeningWhateverTheBatches() {
        UsageLag lag = new UsageLag(2);
        Instant opened = Instant.parse("2030-01-01T00:00:10Z");
        String group = "g";
        lag.record(opened.plusSeconds(1), List.of(stamp(group, opened)), List.of(stamp(group, opened)));
        assertThat(lag.windowSnapshot()).isNull();

        lag.openWindow(opened, group);
        // an event queued before the opening and another group's event do not count; 100 events timed 1..100 ms
        // after the opening give lags 199..100 ms
        List<UsageLag.Stamp> first =
                new ArrayList<>(List.of(stamp(group, opened.minusSeconds(5)), stamp("other", opened.plusMillis(1))));
        IntStream.rangeClosed(1, 100).forEach(ms -> first.add(stamp(group, opened.plusMillis(ms))));
        lag.record(
                opened.plusMillis(200),
                first,
                List.of(
                        stamp(group, opened.minusSeconds(5)),
                        stamp("other", opened.plusMillis(190)),
                        stamp(group, opened.plusMillis(150))));
        lag.record(
                opened.plusSeconds(1),
                List.of(stamp(group, opened.plusMillis(500))),
                List.of(stamp(group, opened.plusMillis(900))));
        lag.record(opened.plusSeconds(2), List.of(), List.of(stamp(group, opened.plusMillis(1990))));
        lag.record(
                opened.plusSeconds(3),
                List.of(stamp(group, opened.plusSeconds(1))),
                List.of(stamp(group, opened.plusMillis(2500))));

        // events: 100..199, 500, 2,000 ms (102); after the topic: 50, 100, 10, 500 ms
        assertThat(lag.windowSnapshot())
                .isEqualTo(new UsageLag.WindowSnapshot(opened, group, 3, 102, 150L, 500L, 2000L, 50L, 500L, 500L));
        // the last-batches snapshot keeps only two batches, of every group
        assertThat(lag.snapshot().batchesKept()).isEqualTo(2);

        Instant reopened = opened.plusSeconds(10);
        lag.openWindow(reopened, null);
        assertThat(lag.windowSnapshot())
                .isEqualTo(new UsageLag.WindowSnapshot(reopened, null, 0, 0, null, null, null, null, null, null));
        lag.record(reopened.plusMillis(30), List.of(stamp("other", reopened.plusMillis(10))), List.of());
        assertThat(lag.windowSnapshot().p99Ms()).isEqualTo(20L);
    }

    private static UsageLag.Stamp stamp(String group, Instant time) {
        return new UsageLag.Stamp(group, time);
    }
}
