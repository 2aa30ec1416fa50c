package dev.strata.quota;

import static dev.strata.quota.QuotaApi.as;
import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuotaStatusTest {

    static final Instant NOW = Instant.parse("2030-07-10T10:00:00Z");

    /**
     * 60,724 = 4 x 19 x 799, so each boundary is hit exactly by a whole limit: 79.9 % of 76,000, 80 % of 75,905,
     * 95 % of 63,920 and 100 % of 60,724.
     */
    static final int CALLS = 60_724;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private UUID groupWithApiCalls() {
        clock.set(NOW);
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"), apiCalls(group, CALLS, NOW));
        eventually(() -> quotas(group).statusCode(200).body("quotas.api_calls_per_month.current", equalTo(CALLS)));
        return group;
    }

    private static void expectStatus(UUID group, long limit, double percent, String status) {
        setOverrides(group, "{\"api_calls_per_month\": " + limit + "}");
        quotas(group)
                .statusCode(200)
                .body("quotas.api_calls_per_month.limit", equalTo((int) limit))
                .body("quotas.api_calls_per_month.percentUsed", equalTo(percent))
                .body("quotas.api_calls_per_month.status", equalTo(status));
    }

    @Test
    void shouldReportEveryStatusBoundaryThroughOverrides() {
        UUID group = groupWithApiCalls();
        expectStatus(group, 76_000, 79.9, "ok");
        expectStatus(group, 75_905, 80.0, "warning");
        expectStatus(group, 63_921, 94.99, "warning"); // 94.998 %: shown rounded down, still warning
        expectStatus(group, 63_920, 95.0, "critical");
        expectStatus(group, 60_725, 99.99, "critical");
        expectStatus(group, 60_724, 100.0, "exceeded");
        expectStatus(group, 30_362, 200.0, "exceeded");

        setOverrides(group, "{\"api_calls_per_month\": -1}");
        quotas(group)
                .body("quotas.api_calls_per_month.limit", nullValue())
                .body("quotas.api_calls_per_month.percentUsed", nullValue())
                .body("quotas.api_calls_per_month.status", equalTo("unlimited"));

        setOverrides(group, "{\"api_calls_per_month\": null}"); // back to the pro plan's 100,000
        quotas(group)
                .body("quotas.api_calls_per_month.limit", equalTo(100_000))
                .body("quotas.api_calls_per_month.percentUsed", equalTo(60.72))
                .body("quotas.api_calls_per_month.status", equalTo("ok"));
        asAdmin()
                .get("/groups/{g}/quotas/overrides", group)
                .then()
                .statusCode(200)
                .body("overrides", equalTo(java.util.Map.of()));
    }

    @Test
    void shouldListWarningsAndSummaryOfEveryMetricThatNeedsAttention() {
        UUID group = groupWithApiCalls();
        send(thingCreated(group, "user", 0), thingCreated(group, "video", 0));
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(2)));
        // api calls at 80 %, entities 2 of 2 (exceeded), users 1 of 1 (exceeded)
        setOverrides(group, "{\"api_calls_per_month\": 75905, \"entities_total\": 2, \"users\": 1}");

        quotas(group)
                .statusCode(200)
                .body("warnings", hasSize(3))
                .body("warnings.metric", containsInAnyOrder("users", "api_calls_per_month", "entities_total"))
                .body(
                        "warnings.find { it.metric == 'entities_total' }.keySet()",
                        containsInAnyOrder("metric", "current", "limit", "percentUsed", "status"))
                .body("warnings.find { it.metric == 'entities_total' }.current", equalTo(2))
                .body("warnings.find { it.metric == 'entities_total' }.limit", equalTo(2))
                .body("warnings.find { it.metric == 'entities_total' }.percentUsed", equalTo(100.0))
                .body("warnings.find { it.metric == 'entities_total' }.status", equalTo("exceeded"))
                .body("summary.allOk", equalTo(false))
                .body("summary.warningCount", equalTo(1))
                .body("summary.criticalCount", equalTo(0))
                .body("summary.exceededCount", equalTo(2));

        as(group)
                .get("/groups/{g}/quotas/status", group)
                .then()
                .statusCode(200)
                .body(
                        "keySet()",
                        containsInAnyOrder("group", "status", "metrics", "warnings", "recommendations", "lastUpdated"))
                .body("group.id", equalTo(group.toString()))
                .body("group.plan", equalTo("pro"))
                .body("status", equalTo("exceeded"))
                .body("metrics.entities_total.status", equalTo("exceeded"))
                .body(
                        "warnings",
                        equalTo(List.of(
                                "Users: 1 of 1 used (100%), the limit is reached.",
                                "API calls per month: 60,724 of 75,905 used (80%), 80% or more of the limit.",
                                "Entities: 2 of 2 used (100%), the limit is reached.")))
                .body(
                        "recommendations",
                        equalTo(List.of(
                                "Upgrade to enterprise to raise the users limit to unlimited.",
                                "Upgrade to enterprise to raise the API calls per month limit to unlimited.",
                                "Upgrade to enterprise to raise the entities limit to unlimited.")));
    }

    @Test
    void shouldCallAGroupWithinEveryLimitHealthy() {
        UUID group = groupWithApiCalls();
        as(group)
                .get("/groups/{g}/quotas/status", group)
                .then()
                .statusCode(200)
                .body("status", equalTo("healthy"))
                .body("warnings", empty())
                .body("recommendations", empty());
    }

    @Test
    void shouldCheckWhetherEntitiesFit() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "starter"));
        for (int i = 0; i < 97; i++) {
            send(thingCreated(group, "video", 0));
        }
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(97)));

        as(group)
                .get("/groups/{g}/quotas/entities/check?count=3", group)
                .then()
                .statusCode(200)
                .body(
                        "keySet()",
                        containsInAnyOrder(
                                "canCreate",
                                "current",
                                "limit",
                                "available",
                                "requested",
                                "reason",
                                "upgradeSuggestion"))
                .body("canCreate", equalTo(true))
                .body("current", equalTo(97))
                .body("limit", equalTo(100))
                .body("available", equalTo(3))
                .body("requested", equalTo(3))
                .body("reason", nullValue())
                .body("upgradeSuggestion", nullValue());
        as(group)
                .get("/groups/{g}/quotas/entities/check?count=4", group)
                .then()
                .statusCode(200)
                .body("canCreate", equalTo(false))
                .body("available", equalTo(3))
                .body(
                        "reason",
                        equalTo("Creating 4 entities would exceed the limit of 100 (97 used, 0 reserved, "
                                + "3 available)."))
                .body("upgradeSuggestion", equalTo("Upgrade to pro: its entities limit is 10,000."));
        as(group)
                .get("/groups/{g}/quotas/entities/check?count=many", group)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("count"));
    }

    @Test
    void shouldCheckWhetherBytesFit() {
        UUID group = UUID.randomUUID();
        int used = 1_000_000;
        long limit = 1024L * 1024 * 1024; // starter: 1 GB
        send(groupCreated(group, "starter"), thingCreated(group, "document", used));
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo(1)));
        long available = limit - used;

        as(group)
                .get("/groups/{g}/quotas/storage/check?bytes=" + available, group)
                .then()
                .statusCode(200)
                .body(
                        "keySet()",
                        containsInAnyOrder("canStore", "availableBytes", "availableGB", "reason", "upgradeSuggestion"))
                .body("canStore", equalTo(true))
                .body("availableBytes", equalTo((int) available))
                .body("availableGB", equalTo(0.999069))
                .body("reason", nullValue());
        as(group)
                .get("/groups/{g}/quotas/storage/check?bytes=" + (available + 1), group)
                .then()
                .statusCode(200)
                .body("canStore", equalTo(false))
                .body(
                        "reason",
                        equalTo("Storing " + (available + 1) + " bytes would exceed the limit of 1 GB (" + available
                                + " bytes available)."))
                .body("upgradeSuggestion", equalTo("Upgrade to pro: its storage limit is 100 GB."));
    }

    @Test
    void shouldListUpgradesWithTheirPriceDifferences() {
        UUID anyone = UUID.randomUUID();
        as(anyone)
                .get("/plans/starter/upgrades")
                .then()
                .statusCode(200)
                .body("plan.name", equalTo("starter"))
                .body("plan.monthlyPrice", equalTo(0))
                .body("plan.annualPrice", equalTo(0))
                .body("plan.custom", equalTo(false))
                .body("plan.quotas.users", equalTo(5))
                .body("plan.quotas.storage_gb", equalTo(1))
                .body("plan.quotas.api_calls_per_month", equalTo(1000))
                .body("plan.quotas.entities_total", equalTo(100))
                .body("plan.quotas.connections_total", equalTo(500))
                .body("plan.quotas.events_retention_days", equalTo(90))
                .body("upgrades.name", equalTo(List.of("pro", "enterprise")))
                .body("upgrades[0].monthlyPrice", equalTo(49))
                .body("upgrades[0].annualPrice", equalTo(490))
                .body("upgrades[0].monthlyDifference", equalTo(49))
                .body("upgrades[0].annualDifference", equalTo(490))
                .body("upgrades[0].quotas.entities_total", equalTo(10_000))
                .body("upgrades[1].custom", equalTo(true))
                .body("upgrades[1].monthlyPrice", nullValue())
                .body("upgrades[1].monthlyDifference", nullValue())
                .body("upgrades[1].quotas.users", nullValue());
        as(anyone)
                .get("/plans/pro/upgrades")
                .then()
                .statusCode(200)
                .body("plan.monthlyPrice", equalTo(49))
                .body("upgrades.name", equalTo(List.of("enterprise")))
                .body("upgrades[0].custom", equalTo(true));
        as(anyone)
                .get("/plans/enterprise/upgrades")
                .then()
                .statusCode(200)
                .body("plan.custom", equalTo(true))
                .body("upgrades", empty());
        as(anyone).get("/plans/platinum/upgrades").then().statusCode(404).contentType("application/problem+json");
    }
}
