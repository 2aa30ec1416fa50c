package dev.strata.quota;

import static dev.strata.quota.FakeIngestInventory.answer;
import static dev.strata.quota.FakeIngestInventory.inventory;
import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaEvents.connectionCreated;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.knowledgeCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.strata.model.events.EventEnvelope;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ReconcileTest {

    /**
     * 3 people-like things and 2 others (100 to 500 property bytes), 4 connections and a knowledge item of 1,000
     * text bytes: users 3, entities 5, connections 4, storage 1,500 + 1,000 bytes.
     */
    private static void countedByQuota(UUID group) {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(groupCreated(group, "pro"));
        String[] types = {"user", "creator", "video", "user", "course"};
        for (int i = 0; i < types.length; i++) {
            events.add(thingCreated(group, types[i], 100 * (i + 1)));
        }
        for (int i = 0; i < 4; i++) {
            events.add(connectionCreated(group));
        }
        events.add(knowledgeCreated(group, 1000, 0));
        send(events);
        eventually(() -> quotas(group)
                .statusCode(200)
                .body("quotas.connections_total.current", equalTo(4))
                .body("quotas.entities_total.current", equalTo(5)));
    }

    private static ValidatableResponse reconcile(UUID group) {
        return asAdmin().get("/admin/quotas/reconcile?groupId={g}", group).then();
    }

    private static ValidatableResponse fix(UUID group) {
        return asAdmin().post("/admin/quotas/reconcile/{g}/fix", group).then();
    }

    @Test
    void shouldReportTheDriftOfEveryCounterAgainstIngestsInventory() {
        UUID group = UUID.randomUUID();
        countedByQuota(group);
        answer(group, inventory(group, 7, 3, 2, 2500));

        reconcile(group)
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("checkedAt", notNullValue())
                .body("metrics.keySet()", contains("users", "entities_total", "connections_total", "storage_gb"))
                .body("metrics.users", equalTo(Map.of("counter", 3, "sourceOfTruth", 3, "drift", 0)))
                .body("metrics.entities_total", equalTo(Map.of("counter", 5, "sourceOfTruth", 7, "drift", -2)))
                .body("metrics.connections_total", equalTo(Map.of("counter", 4, "sourceOfTruth", 2, "drift", 2)))
                .body("metrics.storage_gb", equalTo(Map.of("counter", 2500, "sourceOfTruth", 2500, "drift", 0)))
                .body("inSync", equalTo(false));

        answer(group, inventory(group, 5, 3, 4, 2500));
        reconcile(group).statusCode(200).body("inSync", equalTo(true)).body("metrics.entities_total.drift", equalTo(0));
        assertThat(counter(group, "entities_total", "total")).isEqualTo(5); // a report changes nothing
    }

    @Test
    void shouldCorrectTheCountersToTheInventoryWhenTheDriftHoldsStill() {
        UUID group = UUID.randomUUID();
        countedByQuota(group);
        answer(group, inventory(group, 7, 3, 2, 2400));

        fix(group)
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("fixedAt", notNullValue())
                .body("before.entities_total", equalTo(Map.of("counter", 5, "sourceOfTruth", 7, "drift", -2)))
                .body("corrections", equalTo(Map.of("entities_total", 2, "connections_total", -2, "storage_gb", -100)));

        quotas(group)
                .body("quotas.entities_total.current", equalTo(7))
                .body("quotas.connections_total.current", equalTo(2))
                .body("quotas.users.current", equalTo(3));
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(2400);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(TestDatabase.scalar(
                        "SELECT sum(delta) FROM quota.usage_daily WHERE group_id = ? AND metric = ?",
                        group,
                        "connections_total"))
                .isEqualTo(2L);
        assertThat(TestDatabase.scalar(
                        "SELECT delta FROM quota.usage_daily WHERE group_id = ? AND metric = ?" + " AND day = ?",
                        group,
                        "entities_total",
                        today))
                .isEqualTo(7L);
        reconcile(group).body("inSync", equalTo(true));
        fix(group).statusCode(200).body("corrections", equalTo(Map.of()));

        // The stream goes on from the corrected values.
        send(thingCreated(group, "video", 50));
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(8)));
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(2450);
    }

    @Test
    void shouldNotFixADriftThatMovesWhileItIsMeasured() {
        UUID group = UUID.randomUUID();
        countedByQuota(group);
        answer(group, inventory(group, 7, 3, 4, 2500), inventory(group, 9, 3, 4, 2500));

        fix(group)
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/conflict"))
                .body("detail", containsString("moved"));
        assertThat(counter(group, "entities_total", "total")).isEqualTo(5);
    }

    @Test
    void shouldSayWhichSideFailed() {
        UUID unknown = UUID.randomUUID();
        reconcile(unknown)
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("ingest-service does not know group " + unknown));

        UUID group = UUID.randomUUID();
        answer(group, new FakeIngestInventory.Answer(500, Map.of("status", 500)));
        reconcile(group)
                .statusCode(503)
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"))
                .body("detail", containsString("answered 500"));
        answer(group, new FakeIngestInventory.Answer(200, Map.of("things", 1)));
        reconcile(group).statusCode(503).body("detail", containsString("without"));

        asAdmin().get("/admin/quotas/reconcile").then().statusCode(400);
        asAdmin().get("/admin/quotas/reconcile?groupId=nope").then().statusCode(400);
        asAdmin().post("/admin/quotas/reconcile/nope/fix").then().statusCode(400);
    }
}
