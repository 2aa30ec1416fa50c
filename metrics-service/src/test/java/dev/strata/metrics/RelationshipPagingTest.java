package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Scenario.link;
import static dev.strata.metrics.Scenario.props;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.metrics.Expected.Seen;
import dev.strata.metrics.Scenario.NewConnection;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class RelationshipPagingTest {

    private static Scenario hub;

    /** A creator followed by 23 people, authoring 7 pieces, following one creator and (oddly) itself. */
    private static synchronized Scenario hub() {
        if (hub == null) {
            Scenario s = new Scenario();
            Instant t0 = ago(Duration.ofDays(30));
            s.groupCreated(t0);
            List<Object> specs =
                    new ArrayList<>(List.of("H", "creator", "Hub", props("{}"), "M", "creator", "Mentor", props("{}")));
            for (int i = 1; i <= 23; i++) {
                specs.addAll(List.of("F" + i, "user", "Fan " + i, props("{}")));
            }
            String[] media = {"video", "blog_post", "course", "podcast", "article", "lesson", "newsletter"};
            for (int i = 1; i <= 7; i++) {
                specs.addAll(List.of("W" + i, media[i - 1], "Work " + i, props("{}")));
            }
            s.things(t0, specs.toArray());
            s.connections(t0.plusSeconds(60), followers(1, 10));
            List<NewConnection> second = new ArrayList<>(List.of(followers(11, 18)));
            for (int i = 1; i <= 4; i++) {
                second.add(link("H", "authored", "W" + i));
            }
            s.connections(t0.plusSeconds(120), second.toArray(NewConnection[]::new));
            List<NewConnection> third = new ArrayList<>(List.of(followers(19, 23)));
            for (int i = 5; i <= 7; i++) {
                third.add(link("H", "authored", "W" + i));
            }
            third.add(link("H", "following", "M"));
            third.add(link("H", "following", "H"));
            s.connections(t0.plusSeconds(180), third.toArray(NewConnection[]::new));
            StreamWriter.send(s.envelopes);
            Api.awaitApplied(s.group, s.lastEventId());
            hub = s;
        }
        return hub;
    }

    private static NewConnection[] followers(int from, int to) {
        List<NewConnection> links = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            links.add(link("F" + i, "following", "H"));
        }
        return links.toArray(NewConnection[]::new);
    }

    @Test
    void shouldVisitEveryRelationshipExactlyOnceWhenPagingBothDirections() {
        Scenario s = hub();
        UUID h = s.id("H");
        List<Seen> expected = Expected.relationshipOrder(s, h, true, true, null);
        assertThat(expected).hasSize(33); // 23 followers + itself inbound; 7 works + mentor + itself outbound
        assertThat(page(s, h, Map.of("limit", 7), expected.size())).containsExactlyElementsOf(expected);
        // the default direction is both, the default page 20
        JsonNode first = Api.get(s.group, "/groups/" + s.group + "/things/" + h + "/relationships");
        assertThat(first.path("direction").asText()).isEqualTo("both");
        assertThat(first.path("limit").asInt()).isEqualTo(20);
        assertThat(first.path("count").asInt()).isEqualTo(20);
        assertThat(first.path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void shouldPageOneDirectionAndOneTypeWithExactTotals() {
        Scenario s = hub();
        UUID h = s.id("H");
        assertThat(page(s, h, Map.of("direction", "inbound", "type", "following", "limit", 5), 24))
                .containsExactlyElementsOf(Expected.relationshipOrder(s, h, true, false, "following"));
        assertThat(page(s, h, Map.of("direction", "outbound", "limit", 100), 9))
                .containsExactlyElementsOf(Expected.relationshipOrder(s, h, false, true, null));
        assertThat(page(s, h, Map.of("direction", "outbound", "type", "authored", "limit", 3), 7))
                .containsExactlyElementsOf(Expected.relationshipOrder(s, h, false, true, "authored"));
        assertThat(page(s, h, Map.of("type", "enrolled_in"), 0)).isEmpty();
    }

    @Test
    void shouldNotRepeatOrSkipWhenConnectionsArriveBetweenPages() {
        Scenario s = hub();
        UUID h = s.id("H");
        List<Seen> expected = Expected.relationshipOrder(s, h, true, false, null);
        String path = "/groups/" + s.group + "/things/" + h + "/relationships";
        JsonNode first = Api.get(s.group, path, Map.of("direction", "inbound", "limit", 10));
        List<Seen> seen = new ArrayList<>(seen(first));

        // a newer follower arrives between two pages
        int sent = s.envelopes.size();
        s.things(ago(Duration.ofDays(1)), "F24", "user", "Late fan", props("{}"));
        s.connections(ago(Duration.ofDays(1)), link("F24", "following", "H"));
        StreamWriter.send(s.envelopes.subList(sent, s.envelopes.size()));
        Api.awaitApplied(s.group, s.lastEventId());

        String cursor = first.path("nextCursor").asText();
        while (cursor != null) {
            JsonNode next = Api.get(s.group, path, Map.of("direction", "inbound", "limit", 10, "cursor", cursor));
            seen.addAll(seen(next));
            cursor = next.path("nextCursor").isNull()
                    ? null
                    : next.path("nextCursor").asText();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        hub = null; // the hub changed; later tests rebuild their own
    }

    /** Pages through with the given query, checking every page's envelope, and returns what was visited. */
    private static List<Seen> page(Scenario s, UUID thing, Map<String, Object> query, int total) {
        String path = "/groups/" + s.group + "/things/" + thing + "/relationships";
        int limit = (Integer) query.getOrDefault("limit", 20);
        List<Seen> visited = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> q = new LinkedHashMap<>(query);
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            JsonNode answer = Api.get(s.group, path, q);
            assertThat(answer.path("thingId").asText()).isEqualTo(thing.toString());
            assertThat(answer.path("total").asLong()).isEqualTo(total);
            assertThat(answer.path("limit").asInt()).isEqualTo(limit);
            assertThat(answer.path("count").asInt())
                    .isEqualTo(answer.path("relationships").size());
            int remaining = total - visited.size();
            assertThat(answer.path("count").asInt()).isEqualTo(Math.min(limit, remaining));
            assertThat(answer.path("hasMore").asBoolean()).isEqualTo(remaining > limit);
            for (JsonNode r : answer.path("relationships")) {
                UUID other = UUID.fromString(
                        "inbound".equals(r.path("direction").asText())
                                ? r.path("fromThingId").asText()
                                : r.path("toThingId").asText());
                Expected.assertThing(r.path("related"), s, s.thingById(other));
                assertThat(
                                "inbound".equals(r.path("direction").asText())
                                        ? r.path("toThingId").asText()
                                        : r.path("fromThingId").asText())
                        .isEqualTo(thing.toString());
            }
            visited.addAll(seen(answer));
            cursor = answer.path("nextCursor").isNull()
                    ? null
                    : answer.path("nextCursor").asText();
            assertThat(cursor == null).isEqualTo(!answer.path("hasMore").asBoolean());
        } while (cursor != null);
        return visited;
    }

    private static List<Seen> seen(JsonNode answer) {
        List<Seen> seen = new ArrayList<>();
        answer.path("relationships")
                .forEach(r -> seen.add(
                        new Seen(r.path("id").asText(), r.path("direction").asText())));
        return seen;
    }
}
