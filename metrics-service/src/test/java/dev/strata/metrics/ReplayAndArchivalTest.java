package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Scenario.content;
import static dev.strata.metrics.Scenario.link;
import static dev.strata.metrics.Scenario.login;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.Scenario.revenue;
import static dev.strata.metrics.TestClock.NOW;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.metrics.Scenario.LogEntry;
import dev.strata.metrics.service.RecentWindowPruner;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import dev.strata.testing.TopicArchive;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ReplayAndArchivalTest {

    @Inject
    RecentWindowPruner pruner;

    @Inject
    TestClock clock;

    @Test
    void shouldChangeNothingWhenEventsAreRedelivered() {
        Scenario s = CreatorScenario.main();
        Map<String, JsonNode> before = snapshot(s);
        long distinct = s.envelopes.stream().map(EventEnvelope::id).distinct().count();
        assertThat(appliedFor(s)).isEqualTo(distinct);

        List<EventEnvelope> again = new ArrayList<>(s.envelopes);
        String marker = s.planChanged(NOW);
        again.add(s.envelopes.get(s.envelopes.size() - 1));
        StreamWriter.send(again);
        Api.awaitApplied(s.group, marker);

        assertSameAnswers(before, snapshot(s));
        assertThat(appliedFor(s)).isEqualTo(distinct + 1);
    }

    @Test
    void shouldRebuildFromTheStreamWithIdenticalAnswersAndKeepApplyingNewEvents() {
        Scenario s = CreatorScenario.main();
        Map<String, JsonNode> before = snapshot(s);
        String position = Api.get(s.group, "/groups/" + s.group + "/metrics")
                .path("_freshness")
                .path("position")
                .asText();
        // Damage the live rollups: only a real replay from the stream can bring the answers back.
        long liveTable = TestDatabase.scalar("SELECT 'metrics.group_totals'::regclass::oid");
        TestDatabase.update("UPDATE metrics.group_totals SET events = 0 WHERE group_id = ?", s.group);
        TestDatabase.update("DELETE FROM metrics.group_revenue WHERE group_id = ?", s.group);
        TestDatabase.update("DELETE FROM metrics.thing_connections WHERE group_id = ?", s.group);
        assertThat(Api.stable(Api.get(s.group, "/groups/" + s.group + "/metrics")))
                .isNotEqualTo(Api.stable(before.get("metrics")));

        JsonNode started = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .post("/admin/projections/rebuild")
                .then()
                .statusCode(202)
                .header("Location", endsWith("/admin/projections/rebuild"))
                .extract()
                .asString());
        String run = started.path("id").asText();
        assertThat(started.path("status").asText())
                .isIn("preparing", "replaying", "catching-up", "switching", "completed");
        // A second request while it runs answers with the same run.
        JsonNode again = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .post("/admin/projections/rebuild")
                .then()
                .statusCode(202)
                .extract()
                .asString());
        if (!"completed".equals(again.path("status").asText())) {
            assertThat(again.path("id").asText()).isEqualTo(run);
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    // reads keep answering from the live tables meanwhile
                    assertThat(Api.call(s.group, "/groups/" + s.group + "/metrics", Map.of())
                                    .statusCode())
                            .isEqualTo(200);
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

        JsonNode status = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .get("/admin/projections/rebuild")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(status.path("percent").asDouble()).isEqualTo(100.0);
        assertThat(status.path("error").isNull()).isTrue();
        assertThat(status.path("eventsRead").asLong()).isGreaterThanOrEqualTo(s.envelopes.size());
        assertThat(status.path("eventsApplied").asLong())
                .isGreaterThanOrEqualTo(
                        s.envelopes.stream().map(EventEnvelope::id).distinct().count());
        for (JsonNode partition : status.path("partitions")) {
            assertThat(partition.path("position").asLong())
                    .isGreaterThanOrEqualTo(partition.path("target").asLong());
        }

        assertSameAnswers(before, snapshot(s));
        assertThat(Api.get(s.group, "/groups/" + s.group + "/metrics")
                        .path("_freshness")
                        .path("position")
                        .asText())
                .isEqualTo(position);
        assertThat(TestDatabase.scalar("SELECT 'metrics.group_totals'::regclass::oid"))
                .isNotEqualTo(liveTable);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_schema = 'metrics' AND table_name LIKE 'rebuild%'"))
                .isZero();

        // The live consumer goes on, on the swapped-in tables.
        String marker = s.planChanged(NOW);
        StreamWriter.send(List.of(s.envelopes.get(s.envelopes.size() - 1)));
        Api.awaitApplied(s.group, marker);
        assertSameAnswers(before, snapshot(s));
    }

    @Test
    void shouldRebuildFromTheStreamArchiveAfterTheTopicDeletedItsOldSegments() {
        Scenario s = CreatorScenario.main();
        Map<String, JsonNode> before = snapshot(s);
        // What retention does to a topic: its old segments go. The scenario's events are only in the archive now.
        TopicArchive.Archived archived = TopicArchive.archiveTopic();
        TopicArchive.deleteFromTopic(archived.to());
        TestDatabase.update("UPDATE metrics.group_totals SET events = 0 WHERE group_id = ?", s.group);
        TestDatabase.update("DELETE FROM metrics.group_revenue WHERE group_id = ?", s.group);
        TestDatabase.update("DELETE FROM metrics.thing_connections WHERE group_id = ?", s.group);

        given().auth()
                .oauth2(TestTokens.admin())
                .post("/admin/projections/rebuild")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(Api.json(given().auth()
                                        .oauth2(TestTokens.admin())
                                        .get("/admin/projections/rebuild")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .asString())
                                .path("status")
                                .asText())
                        .isEqualTo("completed"));

        JsonNode status = Api.json(given().auth()
                .oauth2(TestTokens.admin())
                .get("/admin/projections/rebuild")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(status.path("eventsFromArchive").asLong()).isEqualTo(archived.total());
        assertSameAnswers(before, snapshot(s));
    }

    @Test
    void shouldKeepAllTimeFiguresExactAfterArchivalAndDropOnlyTheFeed() {
        Scenario a = new Scenario();
        a.groupCreated(ago(Duration.ofDays(100)));
        a.things(
                ago(Duration.ofDays(100)),
                "Z",
                "creator",
                "Zoe",
                props("{}"),
                "ZV",
                "video",
                "Clip",
                props("{}"),
                "ZU",
                "user",
                "Uma",
                props("{}"));
        a.connections(ago(Duration.ofDays(100)), link("ZU", "following", "Z"), link("Z", "authored", "ZV"));
        a.events(
                ago(Duration.ofDays(50)),
                revenue("Z", "ZV", ago(Duration.ofDays(60)), "10", "USD"),
                content("ZU", "viewed", "ZV", ago(Duration.ofDays(55))),
                revenue("Z", "ZV", ago(Duration.ofDays(58)), "2.5", "USD"));
        a.events(
                ago(Duration.ofDays(1)),
                revenue("Z", "ZV", ago(Duration.ofDays(5)), "5", "USD"),
                content("ZU", "viewed", "ZV", ago(Duration.ofDays(2))));
        StreamWriter.send(a.envelopes);
        Api.awaitApplied(a.group, a.lastEventId());

        String stats = "/groups/" + a.group + "/creators/" + a.id("Z") + "/stats";
        String metrics = "/groups/" + a.group + "/metrics";
        JsonNode statsBefore = Api.get(a.group, stats);
        JsonNode metricsBefore = Api.get(a.group, metrics);
        assertThat(Api.get(a.group, "/groups/" + a.group + "/things/" + a.id("ZV") + "/activity")
                        .path("activity"))
                .hasSize(Expected.feed(a, a.id("ZV")).size());

        List<LogEntry> archived = a.log.stream()
                .filter(e -> !e.time().isBefore(ago(Duration.ofDays(60))))
                .filter(e -> !e.time().isAfter(ago(Duration.ofDays(55))))
                .toList();
        assertThat(archived).hasSize(3);
        String event = a.archived(archived, NOW);
        StreamWriter.send(List.of(a.envelopes.get(a.envelopes.size() - 1)));
        Api.awaitApplied(a.group, event);

        assertThat(Api.stable(Api.get(a.group, stats))).isEqualTo(Api.stable(statsBefore));
        assertThat(Api.stable(Api.get(a.group, metrics))).isEqualTo(Api.stable(metricsBefore));
        JsonNode z = Api.get(a.group, stats).path("_computed");
        Expected.assertDecimal(z.path("totalRevenue"), new java.math.BigDecimal("17.5"), "all-time revenue");
        assertThat(z.path("totalEvents").asLong()).isEqualTo(3);

        Set<String> gone = archived.stream().map(LogEntry::id).collect(Collectors.toSet());
        for (String key : List.of("Z", "ZV", "ZU")) {
            JsonNode feed = Api.get(a.group, "/groups/" + a.group + "/things/" + a.id(key) + "/activity");
            List<String> ids = new ArrayList<>();
            feed.path("activity").forEach(item -> ids.add(item.path("id").asText()));
            assertThat(ids)
                    .as(key + " feed")
                    .containsExactlyElementsOf(Expected.feed(a, a.id(key)).stream()
                            .map(LogEntry::id)
                            .filter(id -> !gone.contains(id))
                            .toList());
            assertThat(feed.path("totalEvents").asLong())
                    .as(key + " totalEvents")
                    .isEqualTo(a.log.stream()
                            .filter(e ->
                                    a.id(key).equals(e.actor()) || a.id(key).equals(e.target()))
                            .count());
        }
    }

    @Test
    void shouldPruneOnlyTheFeedWhenTheWindowMovesOn() {
        Scenario p = new Scenario();
        p.groupCreated(ago(Duration.ofDays(100)));
        p.things(ago(Duration.ofDays(100)), "Q", "creator", "Quinn", props("{}"));
        p.events(
                ago(Duration.ofDays(89).plusHours(12)),
                login("Q", ago(Duration.ofDays(89).plusHours(12))));
        p.events(ago(Duration.ofDays(1)), login("Q", ago(Duration.ofDays(1))));
        StreamWriter.send(p.envelopes);
        Api.awaitApplied(p.group, p.lastEventId());
        String activity = "/groups/" + p.group + "/things/" + p.id("Q") + "/activity";
        assertThat(Api.get(p.group, activity).path("activity")).hasSize(2);

        try {
            clock.advance(Duration.ofDays(1)); // the window now starts 89 days before NOW
            assertThat(pruner.prune().await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(2L);
        } finally {
            clock.reset();
        }

        JsonNode feed = Api.get(p.group, activity);
        assertThat(feed.path("activity")).hasSize(1);
        assertThat(feed.path("activity").get(0).path("timestamp").asText())
                .isEqualTo(ago(Duration.ofDays(1)).toString());
        assertThat(feed.path("totalEvents").asLong()).isEqualTo(2);
        JsonNode stats = Api.get(p.group, "/groups/" + p.group + "/creators/" + p.id("Q") + "/stats")
                .path("_computed");
        assertThat(stats.path("totalEvents").asLong()).isEqualTo(2);
        assertThat(stats.path("eventsByType").path("user_login").asLong()).isEqualTo(2);
    }

    @Test
    void shouldSetAsideUnreadableRecordsAndKeepApplying() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(1)));
        StreamWriter.send(s.envelopes);
        StreamWriter.sendRaw(s.group.toString(), "{not json".getBytes(StandardCharsets.UTF_8));
        // a valid envelope whose data lacks what thing_created needs
        StreamWriter.send(List.of(EventEnvelope.of(
                UUID.randomUUID().toString(),
                Scenario.INGEST,
                EventType.THING_CREATED,
                NOW,
                null,
                s.group,
                Scenario.JSON.createObjectNode().put("name", "no id"))));
        s.things(ago(Duration.ofHours(1)), "A", "creator", "After", props("{}"));
        StreamWriter.send(s.envelopes.subList(1, s.envelopes.size()));
        Api.awaitApplied(s.group, s.lastEventId());

        assertThat(Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("A") + "/stats")
                        .path("name")
                        .asText())
                .isEqualTo("After");
        assertThat(Api.get(s.group, "/groups/" + s.group + "/metrics")
                        .path("_computed")
                        .path("totalEntities")
                        .asLong())
                .isEqualTo(1);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM metrics.rejected_events WHERE payload LIKE ?", "%" + s.group + "%"))
                .isEqualTo(1);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM metrics.rejected_events WHERE payload = '{not json'"))
                .isGreaterThanOrEqualTo(1);
    }

    /** Every endpoint's answer for the scenario's main things. */
    static Map<String, JsonNode> snapshot(Scenario s) {
        String base = "/groups/" + s.group;
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        answers.put("metrics", Api.get(s.group, base + "/metrics"));
        for (String key : List.of("C1", "C2", "U5")) {
            answers.put("stats " + key, Api.get(s.group, base + "/creators/" + s.id(key) + "/stats"));
        }
        for (String key : List.of("C1", "K1", "V1", "P1", "U1", "O1")) {
            String thing = base + "/things/" + s.id(key);
            answers.put("thing " + key, Api.get(s.group, thing, Map.of("relationships", true, "knowledge", true)));
            answers.put("activity " + key, Api.get(s.group, thing + "/activity"));
            String cursor = null;
            int page = 0;
            do {
                Map<String, Object> query = new LinkedHashMap<>(Map.of("limit", 3));
                if (cursor != null) {
                    query.put("cursor", cursor);
                }
                JsonNode answer = Api.get(s.group, thing + "/relationships", query);
                answers.put("relationships " + key + " " + page++, answer);
                cursor = answer.path("nextCursor").isNull()
                        ? null
                        : answer.path("nextCursor").asText();
            } while (cursor != null);
        }
        return answers;
    }

    static void assertSameAnswers(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((name, answer) ->
                assertThat(Api.stable(after.get(name))).as(name).isEqualTo(Api.stable(answer)));
    }

    private static long appliedFor(Scenario s) {
        return TestDatabase.scalar("SELECT count(*) FROM metrics.applied_events WHERE group_id = ?", s.group);
    }
}
