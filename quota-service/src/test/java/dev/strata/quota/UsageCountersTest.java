package dev.strata.quota;

import static dev.strata.quota.QuotaApi.as;
import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.connectionCreated;
import static dev.strata.quota.QuotaEvents.contentEvent;
import static dev.strata.quota.QuotaEvents.event;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.knowledgeCreated;
import static dev.strata.quota.QuotaEvents.planChanged;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static dev.strata.quota.QuotaEvents.thingUpdated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.model.events.EventEnvelope;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class UsageCountersTest {

    static final Instant NOW = Instant.parse("2030-05-14T12:00:00Z");
    static final double GB = 1024.0 * 1024 * 1024;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A mixed stream for one group and the usage it must produce, counted here by hand. */
    record Mixed(
            List<EventEnvelope> events,
            long users,
            long entities,
            long connections,
            long storageBytes,
            long apiCalls) {}

    static Mixed mixed(UUID group) {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(groupCreated(group, "pro"));
        String[] types = {"user", "video", "creator", "user", "course", "video", "user", "creator", "video", "video"};
        long storage = 0;
        for (int i = 0; i < types.length; i++) {
            int bytes = 100 * i + 7;
            events.add(thingCreated(group, types[i], bytes));
            storage += bytes;
        }
        events.add(thingUpdated(group, 500, 200));
        events.add(thingUpdated(group, 80, 200));
        storage += 300 - 120;
        events.add(knowledgeCreated(group, 1000, 768));
        events.add(knowledgeCreated(group, 50, 0));
        storage += 1000 + 768 * 4 + 50;
        for (int i = 0; i < 7; i++) {
            events.add(connectionCreated(group));
        }
        events.add(apiCalls(group, 5, NOW.minusSeconds(3600)));
        events.add(apiCalls(group, 10, NOW));
        events.add(event("api_call", group, NOW, Map.of())); // no count: one call
        events.add(contentEvent(group)); // none of quota's business
        // users: 3 "user" + 2 "creator"; entities: all 10 things; api calls 5 + 10 + 1
        return new Mixed(events, 5, 10, 7, storage, 16);
    }

    @Test
    void shouldCountMixedEventsExactlyAsTheGroundTruth() {
        clock.set(NOW);
        UUID group = UUID.randomUUID();
        Mixed expected = mixed(group);
        send(expected.events());

        eventually(() -> quotas(group).statusCode(200).body("quotas.entities_total.current", equalTo((int)
                expected.entities())));
        quotas(group)
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("plan", equalTo("pro"))
                .body("keySet()", containsInAnyOrder("groupId", "plan", "quotas", "warnings", "summary"))
                .body(
                        "quotas.keySet()",
                        containsInAnyOrder(
                                "users",
                                "storage_gb",
                                "api_calls_per_month",
                                "entities_total",
                                "connections_total",
                                "events_retention_days"))
                .body("quotas.users.keySet()", containsInAnyOrder("current", "limit", "percentUsed", "status"))
                .body("quotas.users.current", equalTo((int) expected.users()))
                .body("quotas.users.limit", equalTo(50))
                .body("quotas.users.percentUsed", equalTo(10.0))
                .body("quotas.users.status", equalTo("ok"))
                .body("quotas.entities_total.limit", equalTo(10_000))
                .body("quotas.entities_total.percentUsed", equalTo(0.1))
                .body("quotas.connections_total.current", equalTo((int) expected.connections()))
                .body("quotas.api_calls_per_month.current", equalTo((int) expected.apiCalls()))
                .body("quotas.api_calls_per_month.limit", equalTo(100_000))
                .body("quotas.storage_gb.current", closeTo(expected.storageBytes() / GB, 1e-6))
                .body("quotas.storage_gb.limit", equalTo(100))
                .body("quotas.events_retention_days.limit", equalTo(365))
                .body("quotas.events_retention_days.current", nullValue())
                .body("warnings", empty())
                .body("summary.allOk", equalTo(true))
                .body("summary.warningCount", equalTo(0))
                .body("summary.criticalCount", equalTo(0))
                .body("summary.exceededCount", equalTo(0));
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(expected.storageBytes());
        assertThat(counter(group, "users", "total")).isEqualTo(expected.users());
        assertThat(counter(group, "api_calls_per_month", "2030-05")).isEqualTo(expected.apiCalls());
    }

    @Test
    void shouldChangeNothingWhenTheSameEnvelopesArriveTwice() {
        clock.set(NOW);
        UUID group = UUID.randomUUID();
        Mixed expected = mixed(group);
        send(expected.events());
        eventually(() -> quotas(group).statusCode(200).body("quotas.entities_total.current", equalTo((int)
                expected.entities())));

        send(expected.events()); // redelivery: same ids, same partition
        send(thingCreated(group, "video", 0)); // a marker behind the duplicates
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo((int) expected.entities() + 1)));

        assertThat(counter(group, "users", "total")).isEqualTo(expected.users());
        assertThat(counter(group, "connections_total", "total")).isEqualTo(expected.connections());
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(expected.storageBytes());
        assertThat(counter(group, "api_calls_per_month", "2030-05")).isEqualTo(expected.apiCalls());
        assertThat(TestDatabase.scalar(
                        "SELECT sum(delta) FROM quota.usage_daily WHERE group_id = ? AND metric = ?",
                        group,
                        "entities_total"))
                .isEqualTo(expected.entities() + 1);
    }

    @Test
    void shouldFollowTheGroupsPlanFromTheStream() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "starter"));
        eventually(() -> quotas(group)
                .statusCode(200)
                .body("plan", equalTo("starter"))
                .body("quotas.entities_total.limit", equalTo(100)));

        send(planChanged(group, "starter", "enterprise"));
        eventually(() -> quotas(group)
                .body("plan", equalTo("enterprise"))
                .body("quotas.entities_total.limit", nullValue())
                .body("quotas.entities_total.percentUsed", nullValue())
                .body("quotas.entities_total.status", equalTo("unlimited")));
    }

    @Test
    void shouldAnswer404ForAGroupNeverSeenOnTheStream() {
        UUID group = UUID.randomUUID();
        quotas(group)
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/not-found"));
        as(group).get("/groups/{g}/quotas/status", group).then().statusCode(404);
    }

    @Test
    void shouldKeepAnUnreadableRecordAndGoOn() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"));
        QuotaEvents.sendRaw(group, "{not an event".getBytes(StandardCharsets.UTF_8));
        send(thingCreated(group, "user", 10));

        eventually(() -> quotas(group).statusCode(200).body("quotas.users.current", equalTo(1)));
        List<List<Object>> rejected =
                TestDatabase.rows("SELECT payload FROM quota.rejected_events WHERE payload = ?", "{not an event");
        assertThat(rejected).hasSize(1);
    }

    @Test
    void shouldKeepADailyHistoryForCharts() {
        Instant today = Instant.parse("2030-05-14T12:00:00Z");
        clock.set(today);
        UUID group = UUID.randomUUID();
        send(
                groupCreated(group, "pro"),
                apiCalls(group, 4, Instant.parse("2030-05-12T08:00:00Z")),
                apiCalls(group, 6, Instant.parse("2030-05-14T08:00:00Z")),
                apiCalls(group, 9, Instant.parse("2030-04-30T08:00:00Z")));
        eventually(() -> quotas(group).statusCode(200).body("quotas.api_calls_per_month.current", equalTo(10)));

        as(group)
                .get("/groups/{g}/quotas/history?metric=api_calls_per_month&days=4", group)
                .then()
                .statusCode(200)
                .body("days", hasSize(4))
                .body("days.day", equalTo(List.of("2030-05-11", "2030-05-12", "2030-05-13", "2030-05-14")))
                .body("days.delta", equalTo(List.of(0, 4, 0, 6)))
                .body("days.value", equalTo(List.of(0, 4, 4, 10)));
    }
}
