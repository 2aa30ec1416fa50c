package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Expected.assertByCurrency;
import static dev.strata.metrics.Expected.assertDecimal;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Revenue in several currencies is summed per currency and never across currencies. The test profile reports in
 * USD with 1 EUR = 1.10 USD and no rate for GBP (application.properties), so every figure below is worked out by
 * hand from the amounts the scenario sends.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class RevenuePerCurrencyTest {

    private static final Map<String, BigDecimal> THIS_MONTH =
            Map.of("USD", new BigDecimal("10.00"), "EUR", new BigDecimal("5.00"), "GBP", new BigDecimal("3.00"));

    /** ... and 2.00 USD more in May, by the user. */
    private static final Map<String, BigDecimal> ALL_TIME =
            Map.of("USD", new BigDecimal("12.00"), "EUR", new BigDecimal("5.00"), "GBP", new BigDecimal("3.00"));

    private static Scenario scenario;

    /**
     * A creator with 10.00 USD, 5.00 EUR and 3.00 GBP this month (June 2026 by the test clock), and a user with
     * 2.00 USD in May: published once per test JVM and applied.
     */
    private static synchronized Scenario scenario() {
        if (scenario == null) {
            Scenario s = new Scenario();
            s.groupCreated(ago(Duration.ofDays(60)));
            s.things(ago(Duration.ofDays(50)), "M", "creator", "Mo", props("{}"), "P", "user", "Pat", props("{}"));
            s.events(ago(Duration.ofDays(40)), revenue("P", null, ago(Duration.ofDays(40)), "2.00", "USD"));
            s.events(
                    ago(Duration.ofDays(1)),
                    revenue("M", null, ago(Duration.ofDays(3)), "10.00", "USD"),
                    revenue("M", null, ago(Duration.ofDays(2)), "5.00", "EUR"),
                    revenue("M", null, ago(Duration.ofDays(1)), "3.00", "GBP"));
            StreamWriter.send(s.envelopes);
            Api.awaitApplied(s.group, s.lastEventId());
            scenario = s;
        }
        return scenario;
    }

    @Test
    void shouldConvertACreatorsRevenueAtTheConfiguredRateAndLeaveCurrenciesWithoutOneOut() {
        Scenario s = scenario();
        JsonNode computed = Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("M") + "/stats")
                .path("_computed");

        // 10.00 USD + 5.00 EUR x 1.10 = 15.50 USD; the 3.00 GBP have no rate.
        assertDecimal(computed.path("totalRevenue"), new BigDecimal("15.50"), "totalRevenue");
        assertThat(computed.path("revenueCurrency").asText()).isEqualTo("USD");
        assertByCurrency(computed.path("revenueByCurrency"), THIS_MONTH, "revenueByCurrency");
        assertThat(Scenario.JSON.convertValue(computed.path("unconvertedCurrencies"), List.class))
                .containsExactly("GBP");
        // no authored content: 0
        assertDecimal(computed.path("revenuePerContent"), BigDecimal.ZERO, "revenuePerContent");
    }

    @Test
    void shouldConvertAGroupsRevenueOfTheMonthAndAllTimeAtTheConfiguredRate() {
        Scenario s = scenario();
        JsonNode computed = Api.get(s.group, "/groups/" + s.group + "/metrics").path("_computed");

        // This month: 10.00 USD + 5.00 EUR x 1.10 = 15.50 USD, the GBP left out; May's 2.00 USD are not this month.
        assertDecimal(computed.path("revenueThisMonth"), new BigDecimal("15.50"), "revenueThisMonth");
        assertThat(computed.path("revenueCurrency").asText()).isEqualTo("USD");
        assertByCurrency(computed.path("revenueThisMonthByCurrency"), THIS_MONTH, "revenueThisMonthByCurrency");
        assertByCurrency(computed.path("revenueByCurrency"), ALL_TIME, "revenueByCurrency");
        assertThat(Scenario.JSON.convertValue(computed.path("unconvertedCurrencies"), List.class))
                .containsExactly("GBP");
        // All time: 12.00 USD + 5.50 USD = 17.50 USD over 2 people.
        assertDecimal(computed.path("avgRevenuePerUser"), new BigDecimal("8.75"), "avgRevenuePerUser");
    }

    @Test
    void shouldAnswerTheSameRevenuePerCurrencyAfterARebuild() {
        Scenario s = scenario();
        String metricsPath = "/groups/" + s.group + "/metrics";
        String statsPath = "/groups/" + s.group + "/creators/" + s.id("M") + "/stats";
        JsonNode metrics = Api.stable(Api.get(s.group, metricsPath));
        JsonNode stats = Api.stable(Api.get(s.group, statsPath));
        // Lose the group's revenue: only a replay of the stream can bring it back.
        for (String table : List.of("thing_revenue", "group_revenue", "group_revenue_monthly")) {
            TestDatabase.update("DELETE FROM metrics." + table + " WHERE group_id = ?", s.group);
        }
        assertThat(Api.get(s.group, statsPath).path("_computed").path("revenueByCurrency"))
                .isEmpty();

        rebuild();

        assertThat(Api.stable(Api.get(s.group, metricsPath))).isEqualTo(metrics);
        assertThat(Api.stable(Api.get(s.group, statsPath))).isEqualTo(stats);
        JsonNode computed = Api.get(s.group, statsPath).path("_computed");
        assertDecimal(computed.path("totalRevenue"), new BigDecimal("15.50"), "totalRevenue after the rebuild");
        assertByCurrency(computed.path("revenueByCurrency"), THIS_MONTH, "revenueByCurrency after the rebuild");
    }

    @Test
    void shouldQuarantineRevenueWithoutACurrencyAndApplyTheEventsAroundIt() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(5)));
        s.things(ago(Duration.ofDays(4)), "N", "creator", "Nell", props("{}"));
        s.events(
                ago(Duration.ofDays(1)),
                revenue("N", null, ago(Duration.ofDays(3)), "4.00", "USD"),
                revenue("N", null, ago(Duration.ofDays(2)), "7.00", null),
                revenue("N", null, ago(Duration.ofDays(2)), "8.00", "euro"),
                revenue("N", null, ago(Duration.ofDays(1)), "6.00", "EUR"));
        StreamWriter.send(s.envelopes);
        Api.awaitApplied(s.group, s.lastEventId());

        // 4.00 USD + 6.00 EUR x 1.10 = 10.60 USD; the two events without a currency code are set aside.
        JsonNode computed = Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("N") + "/stats")
                .path("_computed");
        assertDecimal(computed.path("totalRevenue"), new BigDecimal("10.60"), "totalRevenue");
        assertByCurrency(
                computed.path("revenueByCurrency"),
                Map.of("USD", new BigDecimal("4.00"), "EUR", new BigDecimal("6.00")),
                "revenueByCurrency");
        List<List<Object>> rejected = TestDatabase.rows(
                "SELECT kind, reason FROM metrics.rejected_events WHERE record_key = ? ORDER BY kafka_offset",
                s.group.toString());
        assertThat(rejected).hasSize(2).allSatisfy(row -> {
            assertThat(row.get(0)).isEqualTo("contract");
            assertThat((String) row.get(1)).contains("data.metadata.currency");
        });
    }

    /** Starts a rebuild and waits for that run to complete. */
    private static void rebuild() {
        String run = Api.json(given().auth()
                        .oauth2(TestTokens.admin())
                        .post("/admin/projections/rebuild")
                        .then()
                        .statusCode(202)
                        .extract()
                        .asString())
                .path("id")
                .asText();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    JsonNode status = Api.json(given().auth()
                            .oauth2(TestTokens.admin())
                            .get("/admin/projections/rebuild")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString());
                    assertThat(status.path("id").asText()).isEqualTo(run);
                    assertThat(status.path("status").asText()).isEqualTo("completed");
                });
    }
}
