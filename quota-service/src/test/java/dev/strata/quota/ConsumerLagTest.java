package dev.strata.quota;

import dev.strata.quota.messaging.AppliedLag;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ConsumerLagTest {

    private static JsonPath lag() {
        return asAdmin().get("/admin/quotas/lag").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldReportOffsetsPerPartitionAndTheEventToCounterLag() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"), apiCalls(group, 1, Instant.now().minusSeconds(60)));

        // null until the first batch is applied
        eventually(() -> assertThat(lag().<Number>get("applied.maxMs")).isNotNull()
                .extracting(Number::longValue).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG)
                .isGreaterThanOrEqualTo(60_000L));
        JsonPath lag = lag();
        assertThat(lag.getString("topic")).isEqualTo("strata.events");
        assertThat(lag.getString("consumerGroup")).isEqualTo("quota-service");
        List<Map<String, Object>> partitions = lag.getList("partitions");
        assertThat(partitions).extracting(p -> p.get("partition")).containsExactly(0, 1, 2, 3, 4, 5);
        long total = 0;
        for (Map<String, Object> p : partitions) {
            long committed = p.get("committedOffset") == null ? 0 : ((Number) p.get("committedOffset")).longValue();
            long end = ((Number) p.get("endOffset")).longValue();
            assertThat(((Number) p.get("lag")).longValue()).isEqualTo(end - committed);
            total += end - committed;
        }
        assertThat(lag.getLong("totalLag")).isEqualTo(total);
        assertThat(lag.getLong("applied.eventsApplied")).isGreaterThanOrEqualTo(2);
        assertThat(lag.getLong("applied.p50Ms")).isLessThanOrEqualTo(lag.getLong("applied.p99Ms"));
        assertThat(lag.getLong("applied.p99Ms")).isLessThanOrEqualTo(lag.getLong("applied.maxMs"));
        assertThat(lag.getString("applied.lastAppliedAt")).isNotNull();

        // Once the consumer has committed what it applied, nothing is behind.
        eventually(() -> assertThat(lag().getLong("totalLag")).isZero());
    }

    @Test
    void shouldTakePercentilesOverTheLastBatchesOnly() {
        AppliedLag lag = new AppliedLag(2);
        Instant applied = Instant.parse("2030-01-01T00:00:10Z");
        lag.record(applied, IntStream.rangeClosed(1, 100).mapToObj(ms -> applied.minusMillis(ms)).toList());
        AppliedLag.Snapshot first = lag.snapshot();
        assertThat(List.of(first.p50Ms(), first.p99Ms(), first.maxMs())).containsExactly(50L, 99L, 100L);
        assertThat(first.lastEventTime()).isEqualTo(applied.minusMillis(1));

        lag.record(applied.plusSeconds(1), List.of(applied.minusSeconds(1)));
        lag.record(applied.plusSeconds(3), List.of(applied));
        lag.record(applied.plusSeconds(4), List.of()); // a batch of duplicates only: nothing to measure
        // the first batch is no longer kept: lags 2,000 and 3,000 ms
        assertThat(lag.snapshot()).isEqualTo(new AppliedLag.Snapshot(3, 102, 2, 2, applied.plusSeconds(3), applied,
                2000L, 3000L, 3000L));
    }
}
