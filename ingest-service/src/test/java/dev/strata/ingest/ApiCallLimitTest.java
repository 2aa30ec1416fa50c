package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monthly API-call limit at ingest's edge, against {@link QuotaStandIn}'s allowance (the limit and the calls
 * quota-service counted): a tenant's call that would pass the limit answers 429 problem+json {@code quota-exceeded}
 * with {@code Retry-After} to the next UTC month; the calls this replica let through since it read the allowance
 * count; another tenant still gets its 403; service and admin callers and other groups go on; a raised limit is
 * seen after a refresh; quota-service away lets calls through.
 */
@QuarkusTest
@TestProfile(ApiCallLimitTest.LimitOn.class)
@WithTestResource(StrataTestStack.class)
class ApiCallLimitTest {

    static final String METRIC = "api_calls_per_month";

    public static class LimitOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return QuotaStandIn.servedHere(
                    Map.of("strata.metering.limit.enabled", "true", "strata.metering.limit.refresh", "2s"));
        }
    }

    @AfterEach
    void reset() {
        QuotaStandIn.API_CALLS_DOWN.clear();
    }

    private static ExtractableResponse<Response> list(UUID group, String token) {
        return given().auth()
                .oauth2(token)
                .get("/groups/{g}/things?limit=1", group)
                .then()
                .extract();
    }

    @Test
    void shouldRefuseTheCallsOverTheMonthsLimitUntilTheLimitIsRaised() {
        UUID group = newGroup("starter");
        UUID neighbour = newGroup("starter");
        QuotaStandIn.limit(group, METRIC, 10);
        QuotaStandIn.USED.put(group + "/" + METRIC, 7L);
        QuotaStandIn.limit(neighbour, METRIC, 10);
        String tenant = TestTokens.forTenants(group);

        // 7 counted by quota-service + 3 let through here = 10: the fourth is one too many (all within one refresh).
        for (int i = 0; i < 3; i++) {
            assertThat(list(group, tenant).statusCode()).isEqualTo(200);
        }
        ExtractableResponse<Response> refused = list(group, tenant);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("type")).isEqualTo("https://strata.dev/problems/quota-exceeded");
        assertThat(refused.<String>path("metric")).isEqualTo(METRIC);
        assertThat(refused.<Integer>path("limit")).isEqualTo(10);
        assertThat(refused.<Integer>path("current")).isEqualTo(10);
        long expected = Duration.between(
                        Instant.now(),
                        LocalDate.now(ZoneOffset.UTC)
                                .withDayOfMonth(1)
                                .plusMonths(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant())
                .toSeconds();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(expected - 5, expected + 5);
        // A write is refused as well, before its body is read: nothing written.
        given().auth()
                .oauth2(tenant)
                .contentType("application/json")
                .body("not even json")
                .post("/groups/{g}/things:batch", group)
                .then()
                .statusCode(429);
        assertThat(IngestClient.things(group)).isZero();

        // Another tenant still learns nothing but 403; service and admin callers and the neighbour go on.
        assertThat(list(group, TestTokens.forTenants(neighbour)).statusCode()).isEqualTo(403);
        assertThat(list(group, TestTokens.service()).statusCode()).isEqualTo(200);
        assertThat(list(group, TestTokens.admin()).statusCode()).isEqualTo(200);
        assertThat(list(neighbour, TestTokens.forTenants(neighbour)).statusCode())
                .isEqualTo(200);

        // An upgrade (quota-service now reports 100, with the 10 counted): seen after a refresh.
        QuotaStandIn.limit(group, METRIC, 100);
        QuotaStandIn.USED.put(group + "/" + METRIC, 10L);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> list(group, tenant).statusCode() == 200);
    }

    @Test
    void shouldAskQuotaServiceOncePerRefreshAndLetCallsThroughWhileItIsAway() throws Exception {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, METRIC, 1_000);
        String tenant = TestTokens.forTenants(group);
        assertThat(list(group, tenant).statusCode()).isEqualTo(200);
        int before = QuotaStandIn.API_CALLS_ASKED.get(group).get();
        for (int i = 0; i < 20; i++) {
            assertThat(list(group, tenant).statusCode()).isEqualTo(200);
        }
        // 20 calls in well under a refresh period ask at most once more (the first read may have just expired).
        assertThat(QuotaStandIn.API_CALLS_ASKED.get(group).get() - before).isLessThanOrEqualTo(1);

        QuotaStandIn.limit(group, METRIC, 1);
        QuotaStandIn.API_CALLS_DOWN.add(group);
        Thread.sleep(2_200); // past the refresh: the next call asks again, and gets no answer
        for (int i = 0; i < 5; i++) {
            assertThat(list(group, tenant).statusCode()).isEqualTo(200);
        }
        QuotaStandIn.API_CALLS_DOWN.remove(group);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> list(group, tenant).statusCode() == 429);
    }
}
