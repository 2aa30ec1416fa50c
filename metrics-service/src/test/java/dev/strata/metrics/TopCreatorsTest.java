package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Expected.PEOPLE;
import static dev.strata.metrics.Scenario.content;
import static dev.strata.metrics.Scenario.link;
import static dev.strata.metrics.Scenario.login;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.metrics.Scenario.LogEntry;
import dev.strata.metrics.Scenario.Thing;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class TopCreatorsTest {

    /** A person's figures worked out from the scenario's facts, as the README defines them. */
    record Figures(Thing person, long followers, long content, long events, Instant lastActive) {}

    private static Scenario scenario;

    /**
     * Three creators: Ada and Grace with three followers each (Grace with more events, so she leads), Hal with one;
     * four users without followers, three of them with events (two tied on events), and things that are no people.
     */
    private static synchronized Scenario scenario() {
        if (scenario == null) {
            Scenario s = new Scenario();
            s.groupCreated(ago(Duration.ofDays(30)));
            s.things(
                    ago(Duration.ofDays(30)),
                    "ADA",
                    "creator",
                    "Ada",
                    props("{}"),
                    "GRACE",
                    "creator",
                    "Grace",
                    props("{}"),
                    "HAL",
                    "creator",
                    "Hal",
                    props("{}"),
                    "U1",
                    "user",
                    "Ben",
                    props("{}"),
                    "U2",
                    "user",
                    "Cy",
                    props("{}"),
                    "U3",
                    "user",
                    "Dee",
                    props("{}"),
                    "U4",
                    "user",
                    "Eve",
                    props("{}"),
                    "V1",
                    "video",
                    "Clip",
                    props("{}"),
                    "P1",
                    "blog_post",
                    "Post",
                    props("{}"),
                    "K1",
                    "course",
                    "Course",
                    props("{}"),
                    "O1",
                    "organization",
                    "Org",
                    props("{}"));
            s.connections(
                    ago(Duration.ofDays(20)),
                    link("U1", "following", "ADA"),
                    link("U2", "following", "ADA"),
                    link("U3", "following", "ADA"),
                    link("U1", "following", "GRACE"),
                    link("U2", "following", "GRACE"),
                    link("HAL", "following", "GRACE"),
                    link("U1", "following", "HAL"),
                    link("ADA", "authored", "V1"),
                    link("ADA", "authored", "P1"),
                    link("GRACE", "authored", "K1"),
                    link("U1", "member_of", "O1"),
                    link("V1", "references", "P1"));
            s.events(
                    ago(Duration.ofHours(1)),
                    revenue("ADA", "V1", ago(Duration.ofDays(3)), "10", "USD"),
                    revenue("GRACE", "K1", ago(Duration.ofDays(5)), "20", "USD"),
                    login("GRACE", ago(Duration.ofDays(2))),
                    content("GRACE", "viewed", "V1", ago(Duration.ofHours(5))),
                    content("U1", "viewed", "V1", ago(Duration.ofDays(1))),
                    content("U1", "liked", "V1", ago(Duration.ofDays(1))),
                    login("U2", ago(Duration.ofDays(60))),
                    login("U3", ago(Duration.ofDays(4))));
            StreamWriter.send(s.envelopes);
            Api.awaitApplied(s.group, s.lastEventId());
            scenario = s;
        }
        return scenario;
    }

    /** Every person of the group, ranked: followers desc, then events desc, then id (as text). */
    private static List<Figures> ranking(Scenario s) {
        List<Figures> people = new ArrayList<>();
        for (Thing t : s.things.values()) {
            if (PEOPLE.contains(t.type())) {
                List<LogEntry> asActor =
                        s.log.stream().filter(e -> t.id().equals(e.actor())).toList();
                people.add(new Figures(
                        t,
                        Expected.connections(s, t.id(), "inbound", "following"),
                        Expected.connections(s, t.id(), "outbound", "authored"),
                        asActor.size(),
                        asActor.stream()
                                .map(LogEntry::time)
                                .max(Instant::compareTo)
                                .orElse(null)));
            }
        }
        people.sort(Comparator.comparingLong(Figures::followers)
                .reversed()
                .thenComparing(Comparator.comparingLong(Figures::events).reversed())
                .thenComparing(f -> f.person().id().toString()));
        return people;
    }

    @Test
    void shouldRankCreatorsByFollowersThenEventsWithTheirStats() {
        Scenario s = scenario();
        List<Figures> ranking = ranking(s);
        assertThat(ranking.stream().map(f -> f.person().key()).toList().subList(0, 4))
                .as("the scenario ranks as written")
                .containsExactly("GRACE", "ADA", "HAL", "U1");

        JsonNode answer = Api.get(s.group, "/groups/" + s.group + "/metrics/creators");
        assertThat(answer.path("groupId").asText()).isEqualTo(s.group.toString());
        assertThat(answer.path("_freshness").path("position").asText()).isEqualTo(s.lastEventId());
        JsonNode creators = answer.path("creators");
        assertThat(creators).hasSize(ranking.size()).hasSize(7);
        for (int i = 0; i < ranking.size(); i++) {
            Figures expected = ranking.get(i);
            JsonNode actual = creators.get(i);
            String who = "#" + i + " " + expected.person().key();
            assertThat(fieldNames(actual))
                    .as(who)
                    .containsExactly(
                            "creatorId", "name", "type", "totalFollowers", "contentCount", "totalEvents", "lastActive");
            assertThat(actual.path("creatorId").asText())
                    .as(who)
                    .isEqualTo(expected.person().id().toString());
            assertThat(actual.path("name").asText())
                    .as(who)
                    .isEqualTo(expected.person().name());
            assertThat(actual.path("type").asText())
                    .as(who)
                    .isEqualTo(expected.person().type());
            assertThat(actual.path("totalFollowers").asLong()).as(who).isEqualTo(expected.followers());
            assertThat(actual.path("contentCount").asLong()).as(who).isEqualTo(expected.content());
            assertThat(actual.path("totalEvents").asLong()).as(who).isEqualTo(expected.events());
            assertThat(
                            actual.path("lastActive").isNull()
                                    ? null
                                    : actual.path("lastActive").asText())
                    .as(who)
                    .isEqualTo(
                            expected.lastActive() == null
                                    ? null
                                    : expected.lastActive().toString());

            JsonNode stats = Api.get(
                            s.group,
                            "/groups/" + s.group + "/creators/"
                                    + expected.person().id() + "/stats")
                    .path("_computed");
            for (String field : List.of("totalFollowers", "contentCount", "totalEvents", "lastActive")) {
                assertThat(actual.path(field))
                        .as("%s %s equals its stats", who, field)
                        .isEqualTo(stats.path(field));
            }
        }
        assertThat(creators.get(0).path("totalFollowers").asLong()).isEqualTo(3);
        assertThat(creators.get(0).path("totalEvents").asLong()).isEqualTo(3);
        assertThat(creators.get(1).path("totalEvents").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswerAtMostLimitCreators() {
        Scenario s = scenario();
        List<String> ranked =
                ranking(s).stream().map(f -> f.person().id().toString()).toList();
        for (int limit : List.of(1, 2, 3, 4, 5, 100)) {
            JsonNode creators = Api.get(s.group, "/groups/" + s.group + "/metrics/creators", Map.of("limit", limit))
                    .path("creators");
            List<String> ids = new ArrayList<>();
            creators.forEach(c -> ids.add(c.path("creatorId").asText()));
            assertThat(ids).as("limit %d", limit).isEqualTo(ranked.subList(0, Math.min(limit, ranked.size())));
        }
    }

    @Test
    void shouldAnswerNoCreatorsForAGroupWithoutPeople() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(1)));
        s.things(ago(Duration.ofDays(1)), "V", "video", "Clip", props("{}"));
        StreamWriter.send(s.envelopes);
        JsonNode answer =
                Api.get(s.group, "/groups/" + s.group + "/metrics/creators", Map.of("position", s.lastEventId()));
        assertThat(answer.path("creators")).isEmpty();
        assertThat(answer.path("_freshness").path("stale").asBoolean()).isFalse();
    }

    @Test
    void shouldRefuseBadLimitsAndOtherTenants() {
        Scenario s = scenario();
        String path = "/groups/" + s.group + "/metrics/creators";
        for (String limit : List.of("0", "101", "abc", "-5", "99999999999")) {
            Api.call(s.group, path, Map.of("limit", limit))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://strata.dev/problems/malformed-request"))
                    .body("errors[0].field", equalTo("limit"));
        }
        String stranger = TestTokens.forTenants(CreatorScenario.other().group);
        for (String query : List.of("", "?limit=0")) {
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

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
