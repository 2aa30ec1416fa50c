package dev.strata.quota;

import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.reserve;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.quota.service.RetentionJob;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class MonthBoundaryTest {

    static final Instant END_OF_MARCH = Instant.parse("2030-03-31T23:58:00Z");
    static final Instant START_OF_APRIL = Instant.parse("2030-04-01T00:01:00Z");

    @Inject
    TestClock clock;

    @Inject
    RetentionJob retention;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldStartApiCallsOfANewMonthAtZeroWhileTotalsStay() {
        clock.set(END_OF_MARCH);
        UUID group = UUID.randomUUID();
        send(
                groupCreated(group, "pro"),
                apiCalls(group, 40, Instant.parse("2030-03-31T23:50:00Z")),
                thingCreated(group, "user", 0),
                thingCreated(group, "video", 0),
                thingCreated(group, "video", 0));
        eventually(() -> quotas(group)
                .statusCode(200)
                .body("quotas.api_calls_per_month.current", equalTo(40))
                .body("quotas.entities_total.current", equalTo(3)));

        clock.set(START_OF_APRIL); // no event, no job: the new month simply has no calls yet
        quotas(group)
                .statusCode(200)
                .body("quotas.api_calls_per_month.current", equalTo(0))
                .body("quotas.api_calls_per_month.status", equalTo("ok"))
                .body("quotas.entities_total.current", equalTo(3))
                .body("quotas.users.current", equalTo(1));

        send(
                apiCalls(group, 7, Instant.parse("2030-04-01T00:00:30Z")),
                apiCalls(group, 5, Instant.parse("2030-03-31T23:59:00Z"))); // a late March call stays in March
        eventually(() ->
                assertThat(counter(group, "api_calls_per_month", "2030-03")).isEqualTo(45));
        quotas(group)
                .body("quotas.api_calls_per_month.current", equalTo(7))
                .body("quotas.entities_total.current", equalTo(3));
        assertThat(counter(group, "api_calls_per_month", "2030-04")).isEqualTo(7);

        // Reservations of api calls count against the current month only: 7 used of 10.
        setOverrides(group, "{\"api_calls_per_month\": 10}");
        reserve(group, "api_calls_per_month", 3, null).statusCode(201);
        reserve(group, "api_calls_per_month", 1, null).statusCode(409).body("current", equalTo(7));
    }

    @Test
    void shouldRemoveExpiredMonthsButKeepTotals() {
        clock.set(START_OF_APRIL);
        UUID group = UUID.randomUUID();
        send(
                groupCreated(group, "pro"),
                thingCreated(group, "video", 0),
                apiCalls(group, 11, Instant.parse("2029-03-15T00:00:00Z")),
                apiCalls(group, 12, Instant.parse("2029-04-15T00:00:00Z")),
                apiCalls(group, 13, Instant.parse("2030-04-01T00:00:00Z")));
        eventually(() -> quotas(group).statusCode(200).body("quotas.api_calls_per_month.current", equalTo(13)));

        // 13 months kept, counting April 2030: April 2029 stays, March 2029 goes.
        retention.run().await().atMost(Duration.ofSeconds(30));

        assertThat(counter(group, "api_calls_per_month", "2029-03")).isZero();
        assertThat(counter(group, "api_calls_per_month", "2029-04")).isEqualTo(12);
        assertThat(counter(group, "api_calls_per_month", "2030-04")).isEqualTo(13);
        assertThat(counter(group, "entities_total", "total")).isEqualTo(1);
        assertThat(dev.strata.testing.TestDatabase.scalar(
                        "SELECT count(*) FROM quota.usage_daily WHERE group_id = ? AND day < '2029-04-01'", group))
                .isZero();
    }
}
