package dev.strata.quota;

import static io.restassured.RestAssured.given;

import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/** Calls quota-service the way a client does, and reads its tables, for the tests of this module. */
final class QuotaApi {

    static final Duration EVENTUALLY = Duration.ofSeconds(60);

    private QuotaApi() {}

    /** Decimals read back as doubles, so expected values are written as plain numbers. */
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    static RequestSpecification as(UUID group) {
        return given().config(DOUBLES).auth().oauth2(TestTokens.forTenants(group));
    }

    static RequestSpecification asAdmin() {
        return given().config(DOUBLES).auth().oauth2(TestTokens.admin());
    }

    static ValidatableResponse quotas(UUID group) {
        return as(group).get("/groups/{g}/quotas", group).then();
    }

    static void setOverrides(UUID group, String json) {
        asAdmin()
                .contentType("application/json")
                .body(json)
                .put("/groups/{g}/quotas/overrides", group)
                .then()
                .statusCode(200);
    }

    static ValidatableResponse reserve(UUID group, String metric, long amount, String reference) {
        String body = "{\"metric\":\"" + metric + "\",\"amount\":" + amount
                + (reference == null ? "" : ",\"reference\":\"" + reference + "\"") + "}";
        return as(group)
                .contentType("application/json")
                .body(body)
                .post("/groups/{g}/quotas/reservations", group)
                .then();
    }

    /** A counter as stored (base units), 0 when there is no row. */
    static long counter(UUID group, String metric, String period) {
        return TestDatabase.scalar(
                "SELECT coalesce(sum(value), 0) FROM quota.counters"
                        + " WHERE group_id = ? AND metric = ? AND period = ?",
                group,
                metric,
                period);
    }

    static void eventually(ThrowingRunnable assertion) {
        Awaitility.await()
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }

    /** Waits until quota-service knows the group (its group_created event was applied). */
    static void awaitGroup(UUID group) {
        eventually(() -> quotas(group).statusCode(200));
    }
}
