package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ReadYourWritesTest {

    @Test
    void shouldReturnJustWrittenDataWhenReadingAtItsPosition() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(3)));
        s.things(
                ago(Duration.ofDays(3)),
                "R",
                "creator",
                "Rita",
                props("{\"handle\":\"rita\"}"),
                "RV",
                "video",
                "First",
                props("{}"));
        StreamWriter.send(s.envelopes);
        // ingest answers a batch with position = the id of its last event; reading at it sees the batch
        String position = s.lastEventId();
        String stats = "/groups/" + s.group + "/creators/" + s.id("R") + "/stats";
        JsonNode created = Api.get(s.group, stats, Map.of("position", position));
        assertThat(created.path("name").asText()).isEqualTo("Rita");
        assertThat(created.path("_freshness").path("position").asText()).isEqualTo(position);
        assertThat(created.path("_freshness").path("stale").asBoolean()).isFalse();
        assertThat(created.path("_freshness").path("requestedPosition").asText())
                .isEqualTo(position);
        assertThat(created.path("_freshness").path("lagMs").asLong()).isNotNegative();
        assertThat(created.path("_freshness").path("appliedAt").isTextual()).isTrue();

        int sent = s.envelopes.size();
        s.events(ago(Duration.ofMinutes(1)), revenue("R", "RV", ago(Duration.ofMinutes(2)), "42.00", "USD"));
        StreamWriter.send(s.envelopes.subList(sent, s.envelopes.size()));
        Response response = Api.call(s.group, stats, Map.of("position", s.lastEventId()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Strata-Position")).isEqualTo(s.lastEventId());
        assertThat(response.header("Strata-Stale")).isNull();
        JsonNode computed = Api.json(response.asString()).path("_computed");
        Expected.assertDecimal(computed.path("totalRevenue"), new BigDecimal("42.00"), "the revenue just written");
        assertThat(computed.path("totalEvents").asLong()).isEqualTo(1);

        sent = s.envelopes.size();
        s.connections(ago(Duration.ofSeconds(30)), Scenario.link("R", "authored", "RV"));
        StreamWriter.send(s.envelopes.subList(sent, s.envelopes.size()));
        JsonNode thing = Api.get(
                s.group,
                "/groups/" + s.group + "/things/" + s.id("RV"),
                Map.of("relationships", true, "position", s.lastEventId()));
        assertThat(thing.path("_relationships").path("inboundCount").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswerWithCurrentDataMarkedStaleWhenThePositionNeverArrives() {
        Scenario s = CreatorScenario.main();
        String never = UUID.randomUUID().toString();
        Response response = Api.call(s.group, "/groups/" + s.group + "/metrics", Map.of("position", never));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Strata-Stale")).isEqualTo("true");
        JsonNode answer = Api.json(response.asString());
        assertThat(answer.path("_freshness").path("stale").asBoolean()).isTrue();
        assertThat(answer.path("_freshness").path("requestedPosition").asText()).isEqualTo(never);
        assertThat(answer.path("_freshness").path("position").asText()).isEqualTo(s.lastEventId());
        assertThat(answer.path("_computed").path("userCount").asLong()).isEqualTo(7);
    }

    @Test
    void shouldNotWaitForAnotherGroupsEvent() {
        Scenario mine = CreatorScenario.main();
        Scenario theirs = CreatorScenario.other();
        Response response =
                Api.call(mine.group, "/groups/" + mine.group + "/metrics", Map.of("position", theirs.lastEventId()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Strata-Stale")).isEqualTo("true");
    }
}
