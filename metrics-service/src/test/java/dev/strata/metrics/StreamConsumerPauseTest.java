package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's pause of the event-stream consumer (service-support's StreamConsumerResource) on a real broker. */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class StreamConsumerPauseTest {

    private static final String CONSUMER = "/admin/stream-consumer";

    @Test
    void shouldApplyNothingWhilePausedAndEverythingAfterResuming() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(2)));
        s.things(ago(Duration.ofDays(2)), "C", "creator", "Cleo", props("{}"), "V", "video", "Clip", props("{}"));
        StreamWriter.send(s.envelopes);
        Api.awaitApplied(s.group, s.lastEventId());
        String appliedBefore = s.lastEventId();
        String stats = "/groups/" + s.group + "/creators/" + s.id("C") + "/stats";

        given().auth()
                .oauth2(TestTokens.forTenants(s.group))
                .post(CONSUMER + "/pause")
                .then()
                .statusCode(403);
        assertThat(state("/pause").path("paused").asBoolean()).isTrue();
        assertThat(Api.json(given().auth()
                                .oauth2(TestTokens.admin())
                                .get(CONSUMER)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .path("paused")
                        .asBoolean())
                .isTrue();

        try {
            int sent = s.envelopes.size();
            s.events(
                    ago(Duration.ofMinutes(1)),
                    revenue("C", "V", ago(Duration.ofMinutes(2)), "12.50", "USD"),
                    revenue("C", "V", ago(Duration.ofMinutes(1)), "7.50", "USD"));
            StreamWriter.send(s.envelopes.subList(sent, s.envelopes.size()));

            // Unpaused, two events are applied within a few hundred milliseconds; paused, not in three seconds.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
                JsonNode now = Api.get(s.group, stats);
                assertThat(now.path("_freshness").path("position").asText()).isEqualTo(appliedBefore);
                assertThat(now.path("_computed").path("totalEvents").asLong()).isZero();
            });
        } finally {
            assertThat(state("/resume").path("paused").asBoolean()).isFalse();
        }

        Api.awaitApplied(s.group, s.lastEventId());
        JsonNode computed = Api.get(s.group, stats).path("_computed");
        assertThat(computed.path("totalEvents").asLong()).isEqualTo(2);
        Expected.assertDecimal(
                computed.path("totalRevenue"), new java.math.BigDecimal("20.00"), "the revenue sent while paused");
    }

    private static JsonNode state(String action) {
        return Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .post(CONSUMER + action)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }
}
