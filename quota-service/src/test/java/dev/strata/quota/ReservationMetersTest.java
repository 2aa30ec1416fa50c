package dev.strata.quota;

import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.reserve;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reservation meters of the operator's dashboard: requests granted and refused by metric, and the gauge of
 * reservations holding quota, read by a scheduled job as the limit check counts them.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ReservationMetersTest {

    @Inject
    MeterRegistry registry;

    @Inject
    TestClock clock;

    @Test
    void shouldCountGrantedAndRefusedReservationsByMetricButNotInvalidRequests() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "starter")); // 100 entities
        awaitGroup(group);
        double granted = answers("granted", "entities_total");
        double refused = answers("refused", "entities_total");
        double connectionsGranted = answers("granted", "connections_total");

        reserve(group, "entities_total", 60, "meters-a").statusCode(201);
        reserve(group, "entities_total", 60, "meters-b").statusCode(409); // 60 + 60 > 100
        reserve(group, "connections_total", 5, "meters-c").statusCode(201);
        reserve(group, "entities_total", 0, "meters-d").statusCode(422); // invalid: not an answer of the quota

        assertThat(answers("granted", "entities_total") - granted).isEqualTo(1);
        assertThat(answers("refused", "entities_total") - refused).isEqualTo(1);
        assertThat(answers("granted", "connections_total") - connectionsGranted).isEqualTo(1);
    }

    @Test
    void shouldShowTheReservationsHoldingQuotaByStatus() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"));
        awaitGroup(group);
        reserve(group, "entities_total", 1, "meters-open-1").statusCode(201);
        reserve(group, "entities_total", 1, "meters-open-2").statusCode(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long holding = TestDatabase.scalar(
                    "SELECT count(*) FROM quota.reservations WHERE status = 'open'"
                            + " AND (reference IS NOT NULL OR expires_at > ?)",
                    Timestamp.from(clock.instant()));
            assertThat(holding).isGreaterThanOrEqualTo(2);
            assertThat(registry.get("strata.quota.reservations.open")
                            .tag("status", "open")
                            .gauge()
                            .value())
                    .isEqualTo(holding);
        });
        assertThat(registry.get("strata.quota.reservations.open")
                        .tag("status", "committed")
                        .gauge()
                        .value())
                .isNotNaN();
    }

    private double answers(String outcome, String metric) {
        return registry.get("strata.quota.reservations")
                .tag("outcome", outcome)
                .tag("metric", metric)
                .counter()
                .count();
    }
}
