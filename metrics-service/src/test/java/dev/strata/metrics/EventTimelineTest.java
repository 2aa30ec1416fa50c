package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Expected.TODAY;
import static dev.strata.metrics.Expected.day;
import static dev.strata.metrics.Scenario.content;
import static dev.strata.metrics.Scenario.login;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.metrics.Scenario.LogEntry;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class EventTimelineTest {

    private static final Instant TWO_DAYS_AGO = Instant.parse("2026-06-15T08:30:00Z");

    private static Scenario scenario;

    /**
     * Events on known days around "now" (Wednesday 2026-06-17T12:00Z): two days ago, the first and the last second of
     * today, the first day of a 30-day window (2026-05-19) and the second before it, 40 days ago (outside).
     */
    private static synchronized Scenario scenario() {
        if (scenario == null) {
            Scenario s = new Scenario();
            s.groupCreated(ago(Duration.ofDays(40)));
            s.things(
                    ago(Duration.ofDays(40)),
                    "C",
                    "creator",
                    "Ada",
                    props("{}"),
                    "U",
                    "user",
                    "Ben",
                    props("{}"),
                    "V",
                    "video",
                    "Clip",
                    props("{}"));
            s.events(
                    ago(Duration.ofHours(1)),
                    login("U", TWO_DAYS_AGO),
                    content("U", "viewed", "V", TWO_DAYS_AGO.plusSeconds(60)),
                    content("U", "liked", "V", TWO_DAYS_AGO.plusSeconds(120)),
                    revenue("C", "V", TWO_DAYS_AGO.plusSeconds(180), "9.99", "USD"),
                    content("U", "viewed", "V", Instant.parse("2026-06-17T00:00:00Z")),
                    login("C", ago(Duration.ofHours(2))),
                    login("U", Instant.parse("2026-05-19T00:00:00Z")),
                    login("U", Instant.parse("2026-05-18T23:59:59Z")),
                    login("C", ago(Duration.ofDays(40))));
            s.update(ago(Duration.ofMinutes(30)), "V", null, null, "published");
            StreamWriter.send(s.envelopes);
            Api.awaitApplied(s.group, s.lastEventId());
            scenario = s;
        }
        return scenario;
    }

    @Test
    void shouldCountEventsPerDayAndTypeWithZeroDaysIncluded() {
        Scenario s = scenario();
        JsonNode answer = Api.get(s.group, "/groups/" + s.group + "/metrics/events", Map.of("days", 3));

        // Today: the view at 00:00, C's login, the events batch's batch_import, the update and its batch_import.
        assertThat(answer.path("groupId").asText()).isEqualTo(s.group.toString());
        assertThat(answer.path("from").asText()).isEqualTo("2026-06-15");
        assertThat(answer.path("to").asText()).isEqualTo("2026-06-17");
        assertThat(answer.path("types"))
                .isEqualTo(array("batch_import", "content_event", "revenue_generated", "thing_updated", "user_login"));
        assertThat(answer.path("days"))
                .isEqualTo(Api.normalized(array(
                        entry("2026-06-15", 4, Map.of("content_event", 2, "revenue_generated", 1, "user_login", 1)),
                        entry("2026-06-16", 0, Map.of()),
                        entry(
                                "2026-06-17",
                                5,
                                Map.of("batch_import", 2, "content_event", 1, "thing_updated", 1, "user_login", 1)))));
        assertThat(answer.path("days").get(1).path("byType"))
                .as("every type of the window, 0 where none")
                .isEqualTo(Api.json("{\"batch_import\":0,\"content_event\":0,\"revenue_generated\":0,"
                        + "\"thing_updated\":0,\"user_login\":0}"));
        assertThat(answer.path("_freshness").path("position").asText()).isEqualTo(s.lastEventId());
    }

    @Test
    void shouldCoverThirtyDaysByDefaultAsTheLogSaysThemByTheTimeEventsHappened() {
        Scenario s = scenario();
        for (int days : List.of(30, 1, 366)) {
            JsonNode answer = days == 30
                    ? Api.get(s.group, "/groups/" + s.group + "/metrics/events")
                    : Api.get(s.group, "/groups/" + s.group + "/metrics/events", Map.of("days", days));
            assertThat(answer).as("%d days", days).isEqualTo(expected(s, days, answer.path("_freshness")));
            assertThat(answer.path("days")).hasSize(days);
        }
        JsonNode month = Api.get(s.group, "/groups/" + s.group + "/metrics/events");
        assertThat(month.path("days").get(0).path("date").asText()).isEqualTo("2026-05-19");
        assertThat(month.path("days").get(0).path("total").asLong())
                .as("the window's first second counts")
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseBadDaysAndOtherTenants() {
        Scenario s = scenario();
        String path = "/groups/" + s.group + "/metrics/events";
        for (String days : List.of("0", "367", "abc", "-1", "1.5", "99999999999999999999")) {
            Api.call(s.group, path, Map.of("days", days))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/malformed-request"))
                    .body("errors[0].field", equalTo("days"));
        }
        String stranger = TestTokens.forTenants(CreatorScenario.other().group);
        for (String query : List.of("", "?days=0")) {
            given().auth()
                    .oauth2(stranger)
                    .get(path + query)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/forbidden"));
        }
        given().get(path).then().statusCode(401).contentType("application/problem+json");
    }

    /** The answer for {@code days} worked out from the scenario's log (its activity events), freshness as given. */
    private static JsonNode expected(Scenario s, int days, JsonNode freshness) {
        LocalDate from = TODAY.minusDays(days - 1L);
        List<LogEntry> window = s.log.stream()
                .filter(e -> !day(e.time()).isBefore(from) && !day(e.time()).isAfter(TODAY))
                .toList();
        TreeSet<String> types = new TreeSet<>();
        window.forEach(e -> types.add(e.type()));
        ObjectNode answer = Scenario.JSON.createObjectNode();
        answer.put("groupId", s.group.toString()).put("from", from.toString()).put("to", TODAY.toString());
        answer.set("types", array((Object[]) types.toArray(String[]::new)));
        ArrayNode list = answer.putArray("days");
        for (LocalDate d = from; !d.isAfter(TODAY); d = d.plusDays(1)) {
            LocalDate date = d;
            ObjectNode entry = list.addObject()
                    .put("date", d.toString())
                    .put(
                            "total",
                            window.stream()
                                    .filter(e -> day(e.time()).equals(date))
                                    .count());
            ObjectNode byType = entry.putObject("byType");
            for (String type : types) {
                byType.put(
                        type,
                        window.stream()
                                .filter(e ->
                                        day(e.time()).equals(date) && e.type().equals(type))
                                .count());
            }
        }
        answer.set("_freshness", freshness);
        return Api.normalized(answer);
    }

    private static ArrayNode array(Object... items) {
        ArrayNode array = Scenario.JSON.createArrayNode();
        for (Object item : items) {
            array.add(
                    item instanceof JsonNode node
                            ? node
                            : Scenario.JSON.getNodeFactory().textNode((String) item));
        }
        return array;
    }

    /** A day with the counts given and 0 for every other type of the 3-day window. */
    private static JsonNode entry(String date, long total, Map<String, Integer> counts) {
        ObjectNode entry = Scenario.JSON.createObjectNode().put("date", date).put("total", total);
        ObjectNode byType = entry.putObject("byType");
        for (String type :
                List.of("batch_import", "content_event", "revenue_generated", "thing_updated", "user_login")) {
            byType.put(type, counts.getOrDefault(type, 0));
        }
        return entry;
    }
}
