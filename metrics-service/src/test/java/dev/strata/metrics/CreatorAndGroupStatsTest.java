package dev.strata.metrics;

import static dev.strata.metrics.CreatorScenario.ago;
import static dev.strata.metrics.Expected.ACTIVE_SINCE;
import static dev.strata.metrics.Expected.CONTENT;
import static dev.strata.metrics.Expected.MONTH_START;
import static dev.strata.metrics.Expected.PEOPLE;
import static dev.strata.metrics.Expected.PREVIOUS_WEEK_START;
import static dev.strata.metrics.Expected.TODAY;
import static dev.strata.metrics.Expected.WEEK_START;
import static dev.strata.metrics.Expected.assertByCurrency;
import static dev.strata.metrics.Expected.assertDecimal;
import static dev.strata.metrics.Expected.assertThing;
import static dev.strata.metrics.Expected.day;
import static dev.strata.metrics.Expected.ratio;
import static dev.strata.metrics.Scenario.props;
import static dev.strata.metrics.TestClock.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.metrics.Scenario.Knowledge;
import dev.strata.metrics.Scenario.LogEntry;
import dev.strata.metrics.Scenario.Thing;
import dev.strata.model.events.EventType;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class CreatorAndGroupStatsTest {

    @Test
    void shouldAnswerEveryCreatorStatsFieldFromTheStream() {
        Scenario s = CreatorScenario.main();
        for (String key : List.of("C1", "C2", "U5")) {
            Thing creator = s.thing(key);
            JsonNode answer = Api.get(s.group, "/groups/" + s.group + "/creators/" + creator.id() + "/stats");
            assertThing(answer, s, creator);

            List<LogEntry> asActor =
                    s.log.stream().filter(e -> creator.id().equals(e.actor())).toList();
            List<LogEntry> revenueEvents = asActor.stream()
                    .filter(e -> e.type().equals("revenue_generated"))
                    .toList();
            BigDecimal revenue = Expected.revenue(revenueEvents);
            long followers = Expected.connections(s, creator.id(), "inbound", "following");
            long content = Expected.connections(s, creator.id(), "outbound", "authored");
            Instant lastActive =
                    asActor.stream().map(LogEntry::time).max(Instant::compareTo).orElse(null);
            Map<String, Long> byType = new TreeMap<>(
                    asActor.stream().collect(Collectors.groupingBy(LogEntry::type, Collectors.counting())));

            JsonNode computed = answer.path("_computed");
            assertThat(fieldNames(computed))
                    .containsExactlyInAnyOrder(
                            "totalRevenue",
                            "revenueCurrency",
                            "revenueByCurrency",
                            "unconvertedCurrencies",
                            "totalFollowers",
                            "lastActive",
                            "contentCount",
                            "averageEngagement",
                            "totalEvents",
                            "eventsByType",
                            "isActive",
                            "accountAge",
                            "revenuePerContent",
                            "lastComputed",
                            "computationTime");
            assertDecimal(computed.path("totalRevenue"), revenue, key + " totalRevenue");
            assertThat(computed.path("revenueCurrency").asText()).isEqualTo("USD");
            assertByCurrency(
                    computed.path("revenueByCurrency"),
                    Expected.revenueByCurrency(revenueEvents),
                    key + " revenueByCurrency");
            assertThat(computed.path("unconvertedCurrencies"))
                    .as(key + " unconvertedCurrencies")
                    .isEmpty();
            assertThat(computed.path("totalFollowers").asLong())
                    .as(key + " totalFollowers")
                    .isEqualTo(followers);
            assertThat(computed.path("lastActive").asText())
                    .as(key + " lastActive")
                    .isEqualTo(lastActive.toString());
            assertThat(computed.path("contentCount").asLong())
                    .as(key + " contentCount")
                    .isEqualTo(content);
            assertDecimal(computed.path("averageEngagement"), ratio(followers, content), key + " averageEngagement");
            assertThat(computed.path("totalEvents").asLong())
                    .as(key + " totalEvents")
                    .isEqualTo(asActor.size());
            assertThat(Scenario.JSON.convertValue(computed.path("eventsByType"), Map.class))
                    .as(key + " eventsByType")
                    .isEqualTo(byType.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().intValue())));
            assertThat(computed.path("isActive").asBoolean())
                    .as(key + " isActive")
                    .isEqualTo(!lastActive.isBefore(ACTIVE_SINCE));
            assertThat(computed.path("accountAge").asLong())
                    .as(key + " accountAge")
                    .isEqualTo(Duration.between(creator.createdAt(), NOW).toDays());
            assertDecimal(computed.path("revenuePerContent"), ratio(revenue, content), key + " revenuePerContent");
            assertThat(computed.path("lastComputed").asText()).isEqualTo(NOW.toString());
            assertThat(computed.path("computationTime").asLong()).isNotNegative();
            assertThat(answer.path("_freshness").path("position").asText()).isEqualTo(s.lastEventId());
        }
        // The figures this scenario was written to produce, spelled out once.
        JsonNode ada = Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("C1") + "/stats")
                .path("_computed");
        assertDecimal(ada.path("totalRevenue"), new BigDecimal("170.50"), "C1 totalRevenue");
        assertThat(ada.path("totalFollowers").asLong()).isEqualTo(5);
        assertThat(ada.path("contentCount").asLong()).isEqualTo(3);
        assertDecimal(ada.path("averageEngagement"), new BigDecimal("1.67"), "C1 averageEngagement");
        assertDecimal(ada.path("revenuePerContent"), new BigDecimal("56.83"), "C1 revenuePerContent");
        assertThat(ada.path("accountAge").asLong()).isEqualTo(400);
        // 9.99 EUR at 1.10 USD: 10.989, two decimals.
        JsonNode grace = Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("C2") + "/stats")
                .path("_computed");
        assertDecimal(grace.path("totalRevenue"), new BigDecimal("10.99"), "C2 totalRevenue");
        assertByCurrency(grace.path("revenueByCurrency"), Map.of("EUR", new BigDecimal("9.99")), "C2 by currency");
        JsonNode hal = Api.get(s.group, "/groups/" + s.group + "/creators/" + s.id("U5") + "/stats")
                .path("_computed");
        assertThat(hal.path("isActive").asBoolean()).isTrue();
        assertDecimal(hal.path("averageEngagement"), BigDecimal.ZERO, "no content: 0");
    }

    @Test
    void shouldCountPeopleActiveThisWeekOnceWhateverTheOrderTheirEventsArrive() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(40)));
        s.things(
                ago(Duration.ofDays(40)),
                "P",
                "user",
                "Pia",
                props("{}"),
                "Q",
                "creator",
                "Quinn",
                props("{}"),
                "V",
                "video",
                "Clip",
                props("{}"));
        StreamWriter.send(s.envelopes);
        assertThat(activeUsersAfter(s, Scenario.login("P", ago(Duration.ofDays(20)))))
                .as("last seen 20 days ago")
                .isZero();
        assertThat(activeUsersAfter(
                        s, Scenario.login("P", ago(Duration.ofHours(1))), Scenario.login("Q", ago(Duration.ofDays(2)))))
                .as("both seen this week")
                .isEqualTo(2);
        assertThat(activeUsersAfter(
                        s,
                        Scenario.login("P", ago(Duration.ofDays(15))),
                        Scenario.login("Q", ago(Duration.ofMinutes(5))),
                        Scenario.content("Q", "viewed", "V", ago(Duration.ofDays(30)))))
                .as("back-filled and later events move nobody twice")
                .isEqualTo(2);
        assertThat(activeUsersAfter(s, Scenario.login("P", ago(Duration.ofDays(1)))))
                .isEqualTo(2);
    }

    @Test
    void shouldCountApiCallsThatClientsLogThroughIngestAsQuotaServiceDoes() {
        Scenario s = new Scenario();
        s.groupCreated(ago(Duration.ofDays(2)));
        s.things(ago(Duration.ofDays(2)), "A", "user", "Ada", props("{}"));
        // events:batch takes api_call with an optional metadata.count; the meter writes data.count
        s.events(
                ago(Duration.ofHours(3)),
                new Scenario.Activity(EventType.API_CALL, "A", null, ago(Duration.ofHours(4)), props("{\"count\":3}")),
                new Scenario.Activity(EventType.API_CALL, "A", null, ago(Duration.ofHours(4)), null));
        s.apiCalls(5, ago(Duration.ofHours(1)));
        StreamWriter.send(s.envelopes);

        JsonNode computed = Api.get(s.group, "/groups/" + s.group + "/metrics", Map.of("position", s.lastEventId()))
                .path("_computed");
        assertThat(computed.path("apiCallsThisMonth").asLong()).isEqualTo(3 + 1 + 5);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM metrics.rejected_events WHERE payload LIKE ?", "%" + s.group + "%"))
                .isZero();
    }

    /** Publishes the events as one batch, then reads activeUsers once they are applied. */
    private static long activeUsersAfter(Scenario s, Scenario.Activity... events) {
        int sent = s.envelopes.size();
        s.events(ago(Duration.ofMinutes(1)), events);
        StreamWriter.send(s.envelopes.subList(sent, s.envelopes.size()));
        return Api.get(s.group, "/groups/" + s.group + "/metrics", Map.of("position", s.lastEventId()))
                .path("_computed")
                .path("activeUsers")
                .asLong();
    }

    @Test
    void shouldAnswerEveryGroupMetricsFieldWithWeekAndMonthWindows() {
        Scenario s = CreatorScenario.main();
        JsonNode answer = Api.get(s.group, "/groups/" + s.group + "/metrics");
        assertThat(answer.path("groupId").asText()).isEqualTo(s.group.toString());
        JsonNode computed = answer.path("_computed");
        assertThat(fieldNames(computed))
                .containsExactlyInAnyOrder(
                        "userCount",
                        "activeUsers",
                        "totalEntities",
                        "storageUsed",
                        "storageUsedMB",
                        "apiCallsThisMonth",
                        "revenueThisMonth",
                        "revenueCurrency",
                        "revenueThisMonthByCurrency",
                        "revenueByCurrency",
                        "unconvertedCurrencies",
                        "eventsThisMonth",
                        "eventsThisWeek",
                        "topContentByEngagement",
                        "averageEngagementPerContent",
                        "avgEventsPerUser",
                        "avgRevenuePerUser",
                        "isActive",
                        "trendingUp",
                        "lastComputed");

        List<Thing> people = s.things.values().stream()
                .filter(t -> PEOPLE.contains(t.type()))
                .toList();
        Set<UUID> peopleIds = people.stream().map(Thing::id).collect(Collectors.toSet());
        List<Thing> content = s.things.values().stream()
                .filter(t -> CONTENT.contains(t.type()))
                .toList();
        long storage =
                s.things.values().stream().mapToLong(Thing::propertiesBytes).sum()
                        + s.knowledge.stream()
                                .mapToLong(k -> k.textBytes() + 4L * k.dimensions())
                                .sum();
        List<LogEntry> month = s.log.stream()
                .filter(e ->
                        !day(e.time()).isBefore(MONTH_START) && !day(e.time()).isAfter(TODAY))
                .toList();
        List<LogEntry> week = s.log.stream()
                .filter(e ->
                        !day(e.time()).isBefore(WEEK_START) && !day(e.time()).isAfter(TODAY))
                .toList();
        long weekBefore = s.log.stream()
                .filter(e -> !day(e.time()).isBefore(PREVIOUS_WEEK_START)
                        && day(e.time()).isBefore(WEEK_START))
                .count();
        long activeUsers = week.stream()
                .map(LogEntry::actor)
                .filter(peopleIds::contains)
                .distinct()
                .count();
        long apiCalls = s.apiCalls.stream()
                .filter(c -> !day(c.at()).isBefore(MONTH_START))
                .mapToLong(Scenario.ApiCall::count)
                .sum();
        long contentConnections = content.stream()
                .mapToLong(t -> Expected.connectionCount(s, t.id()))
                .sum();
        Instant lastEvent =
                s.log.stream().map(LogEntry::time).max(Instant::compareTo).orElseThrow();

        assertThat(computed.path("userCount").asLong()).isEqualTo(people.size()).isEqualTo(7);
        assertThat(computed.path("activeUsers").asLong()).isEqualTo(activeUsers).isEqualTo(4);
        assertThat(computed.path("totalEntities").asLong())
                .isEqualTo(s.things.size())
                .isEqualTo(12);
        assertThat(computed.path("storageUsed").asLong()).isEqualTo(storage);
        assertDecimal(
                computed.path("storageUsedMB"),
                BigDecimal.valueOf(storage).divide(BigDecimal.valueOf(1_048_576), 2, java.math.RoundingMode.HALF_UP),
                "storageUsedMB");
        assertDecimal(computed.path("storageUsedMB"), new BigDecimal("1.00"), "a 1 MiB embedding and some text");
        assertThat(computed.path("apiCallsThisMonth").asLong())
                .isEqualTo(apiCalls)
                .isEqualTo(10);
        assertDecimal(computed.path("revenueThisMonth"), Expected.revenue(month), "revenueThisMonth");
        // 30.25 + 15 + 4.75 = 50.00 USD, and 9.99 EUR at 1.10 = 10.989 USD: 60.989, two decimals.
        assertDecimal(computed.path("revenueThisMonth"), new BigDecimal("60.99"), "revenueThisMonth");
        assertThat(computed.path("revenueCurrency").asText()).isEqualTo("USD");
        assertByCurrency(
                computed.path("revenueThisMonthByCurrency"),
                Map.of("USD", new BigDecimal("50.00"), "EUR", new BigDecimal("9.99")),
                "revenueThisMonthByCurrency");
        assertByCurrency(
                computed.path("revenueThisMonthByCurrency"),
                Expected.revenueByCurrency(month),
                "revenueThisMonthByCurrency");
        assertByCurrency(computed.path("revenueByCurrency"), Expected.revenueByCurrency(s.log), "revenueByCurrency");
        assertThat(computed.path("unconvertedCurrencies")).isEmpty();
        assertThat(computed.path("eventsThisMonth").asLong()).isEqualTo(month.size());
        assertThat(computed.path("eventsThisWeek").asLong()).isEqualTo(week.size());
        assertDecimal(
                computed.path("averageEngagementPerContent"),
                ratio(contentConnections, content.size()),
                "averageEngagementPerContent");
        assertDecimal(computed.path("averageEngagementPerContent"), new BigDecimal("2.75"), "11 / 4");
        assertDecimal(computed.path("avgEventsPerUser"), ratio(s.log.size(), people.size()), "avgEventsPerUser");
        assertDecimal(
                computed.path("avgRevenuePerUser"), ratio(Expected.revenue(s.log), people.size()), "avgRevenuePerUser");
        assertThat(computed.path("isActive").asBoolean())
                .isEqualTo(!lastEvent.isBefore(ACTIVE_SINCE))
                .isTrue();
        assertThat(computed.path("trendingUp").asBoolean()).isEqualTo(week.size() > weekBefore);
        assertThat(computed.path("lastComputed").asText()).isEqualTo(NOW.toString());

        List<Thing> top = content.stream()
                .sorted(Comparator.comparingLong((Thing t) -> Expected.connectionCount(s, t.id()))
                        .reversed()
                        .thenComparing(t -> t.id().toString()))
                .limit(10)
                .toList();
        JsonNode topContent = computed.path("topContentByEngagement");
        assertThat(topContent).hasSize(top.size());
        for (int i = 0; i < top.size(); i++) {
            Thing t = top.get(i);
            JsonNode entry = topContent.get(i);
            assertThat(fieldNames(entry))
                    .containsExactlyInAnyOrder("entityId", "name", "type", "connectionCount", "createdAt");
            assertThat(entry.path("entityId").asText()).isEqualTo(t.id().toString());
            assertThat(entry.path("name").asText()).isEqualTo(t.name());
            assertThat(entry.path("type").asText()).isEqualTo(t.type());
            assertThat(entry.path("connectionCount").asLong()).isEqualTo(Expected.connectionCount(s, t.id()));
            assertThat(entry.path("createdAt").asText()).isEqualTo(t.createdAt().toString());
        }
        assertThat(top).extracting(Thing::key).containsExactly("K1", "P1", "V1", "D1");
    }

    @Test
    void shouldDefineWeekAndMonthByUtcDaysAtTheirEdges() {
        Scenario s = CreatorScenario.main();
        // 2026-06-11T00:00:00Z opens this week, 2026-06-10T23:59:59Z closes the week before; 06-01T00:00:00Z opens
        // the month and 05-31T23:59:59Z does not count in it (API calls 3 + 7, not 5).
        List<LogEntry> edges = s.log.stream()
                .filter(e -> e.time().equals(Instant.parse("2026-06-11T00:00:00Z"))
                        || e.time().equals(Instant.parse("2026-06-10T23:59:59Z")))
                .toList();
        assertThat(edges).hasSize(2);
        JsonNode computed = Api.get(s.group, "/groups/" + s.group + "/metrics").path("_computed");
        long week = s.log.stream()
                .filter(e -> !e.time().isBefore(Instant.parse("2026-06-11T00:00:00Z")))
                .count();
        assertThat(computed.path("eventsThisWeek").asLong()).isEqualTo(week);
        assertThat(computed.path("apiCallsThisMonth").asLong()).isEqualTo(10);
    }

    @Test
    void shouldKeepAnotherGroupsFiguresOutOfTheGroup() {
        Scenario s = CreatorScenario.main();
        Scenario other = CreatorScenario.other();
        JsonNode mine = Api.get(s.group, "/groups/" + s.group + "/metrics").path("_computed");
        JsonNode theirs =
                Api.get(other.group, "/groups/" + other.group + "/metrics").path("_computed");
        assertThat(theirs.path("userCount").asLong()).isEqualTo(1);
        assertThat(theirs.path("totalEntities").asLong()).isEqualTo(2);
        assertThat(theirs.path("apiCallsThisMonth").asLong()).isEqualTo(50);
        assertDecimal(theirs.path("revenueThisMonth"), new BigDecimal("1000"), "other revenue");
        assertThat(mine.path("apiCallsThisMonth").asLong()).isEqualTo(10);
        // 50.00 USD + 9.99 EUR at 1.10 (10.989): 60.99, none of the other group's 1000 USD
        assertDecimal(mine.path("revenueThisMonth"), new BigDecimal("60.99"), "own revenue only");
        // the same thing id asked in the wrong group is not found
        assertThat(Api.call(s.group, "/groups/" + s.group + "/things/" + other.id("X1"), Map.of())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldReturnThingWithRelationshipsAndKnowledge() {
        Scenario s = CreatorScenario.main();
        for (String key : List.of("C1", "K1", "V1", "U1")) {
            Thing thing = s.thing(key);
            JsonNode answer = Api.get(
                    s.group,
                    "/groups/" + s.group + "/things/" + thing.id(),
                    Map.of("relationships", true, "knowledge", true));
            assertThing(answer, s, thing);
            JsonNode rel = answer.path("_relationships");
            assertThat(fieldNames(rel))
                    .containsExactlyInAnyOrder(
                            "inbound",
                            "outbound",
                            "inboundCount",
                            "outboundCount",
                            "totalConnections",
                            "connectionTypes");
            long in = Expected.connections(s, thing.id(), "inbound", null);
            long out = Expected.connections(s, thing.id(), "outbound", null);
            assertThat(rel.path("inboundCount").asLong())
                    .as(key + " inboundCount")
                    .isEqualTo(in);
            assertThat(rel.path("outboundCount").asLong())
                    .as(key + " outboundCount")
                    .isEqualTo(out);
            assertThat(rel.path("totalConnections").asLong())
                    .as(key + " totalConnections")
                    .isEqualTo(in + out);
            assertThat(Scenario.JSON.convertValue(rel.path("connectionTypes").path("inbound"), Map.class))
                    .isEqualTo(ints(Expected.connectionTypes(s, thing.id(), "inbound")));
            assertThat(Scenario.JSON.convertValue(rel.path("connectionTypes").path("outbound"), Map.class))
                    .isEqualTo(ints(Expected.connectionTypes(s, thing.id(), "outbound")));
            assertRelationships(
                    s, thing, rel.path("inbound"), Expected.relationshipOrder(s, thing.id(), true, false, null));
            assertRelationships(
                    s, thing, rel.path("outbound"), Expected.relationshipOrder(s, thing.id(), false, true, null));

            List<Knowledge> items = s.knowledge.stream()
                    .filter(k -> k.source().equals(thing.id()))
                    .sorted(Comparator.comparing(Knowledge::createdAt).thenComparing(k -> k.id().toString()))
                    .toList();
            JsonNode knowledge = answer.path("_knowledge");
            assertThat(knowledge).as(key + " knowledge").hasSize(items.size());
            for (int i = 0; i < items.size(); i++) {
                Knowledge k = items.get(i);
                JsonNode item = knowledge.get(i);
                assertThat(item.path("id").asText()).isEqualTo(k.id().toString());
                assertThat(item.path("sourceThingId").asText())
                        .isEqualTo(thing.id().toString());
                assertThat(item.path("kind").asText()).isEqualTo(k.kind());
                assertThat(item.path("text").asText()).isEqualTo(k.text());
                assertThat(item.path("textBytes").asInt()).isEqualTo(k.textBytes());
                assertThat(item.path("embeddingDimensions").asInt()).isEqualTo(k.dimensions());
                assertThat(item.path("createdAt").asText())
                        .isEqualTo(k.createdAt().toString());
            }
        }
        JsonNode plain = Api.get(s.group, "/groups/" + s.group + "/things/" + s.id("C1"));
        assertThat(plain.has("_relationships")).isFalse();
        assertThat(plain.has("_knowledge")).isFalse();
        assertThat(plain.path("_freshness").path("position").asText()).isEqualTo(s.lastEventId());
    }

    @Test
    void shouldListActivityNewestFirstWithActorsAndTargets() {
        Scenario s = CreatorScenario.main();
        for (String key : List.of("C1", "V1", "K1", "U2")) {
            Thing thing = s.thing(key);
            List<LogEntry> feed = Expected.feed(s, thing.id());
            long total = s.log.stream()
                    .filter(e -> thing.id().equals(e.actor()) || thing.id().equals(e.target()))
                    .count();
            JsonNode answer = Api.get(s.group, "/groups/" + s.group + "/things/" + thing.id() + "/activity");
            assertThat(answer.path("thingId").asText()).isEqualTo(thing.id().toString());
            assertThat(answer.path("totalEvents").asLong())
                    .as(key + " totalEvents")
                    .isEqualTo(total);
            JsonNode activity = answer.path("activity");
            assertThat(activity).as(key + " activity").hasSize(Math.min(20, feed.size()));
            for (int i = 0; i < activity.size(); i++) {
                LogEntry e = feed.get(i);
                JsonNode item = activity.get(i);
                assertThat(item.path("id").asText()).isEqualTo(e.id());
                assertThat(item.path("type").asText()).isEqualTo(e.type());
                assertThat(item.path("timestamp").asText()).isEqualTo(e.time().toString());
                assertThat(item.path("recordedAt").asText())
                        .isEqualTo(e.recordedAt().toString());
                assertThat(Api.normalized(item.path("metadata"))).isEqualTo(Api.normalized(e.metadata()));
                assertRelated(s, item.path("actorId"), item.path("_actor"), e.actor());
                assertRelated(s, item.path("targetId"), item.path("_target"), e.target());
            }
        }
        // C1's revenue from 400 days ago is outside the 90-day feed but still counted in totalEvents.
        Thing ada = s.thing("C1");
        JsonNode answer =
                Api.get(s.group, "/groups/" + s.group + "/things/" + ada.id() + "/activity", Map.of("limit", 2));
        assertThat(answer.path("activity")).hasSize(2);
        assertThat(answer.path("totalEvents").asLong()).isEqualTo(7);
        assertThat(Expected.feed(s, ada.id())).hasSize(6);
    }

    private static void assertRelated(Scenario s, JsonNode id, JsonNode thing, UUID expected) {
        if (expected == null) {
            assertThat(id.isNull()).isTrue();
            assertThat(thing.isNull()).isTrue();
        } else {
            assertThat(id.asText()).isEqualTo(expected.toString());
            assertThing(thing, s, s.thingById(expected));
        }
    }

    static void assertRelationships(Scenario s, Thing thing, JsonNode actual, List<Expected.Seen> expected) {
        List<Expected.Seen> preview = expected.subList(0, Math.min(20, expected.size()));
        assertThat(actual).hasSize(preview.size());
        List<Expected.Seen> seen = new ArrayList<>();
        for (JsonNode r : actual) {
            seen.add(
                    new Expected.Seen(r.path("id").asText(), r.path("direction").asText()));
            Scenario.Connection c = s.connections.stream()
                    .filter(x -> x.id().toString().equals(r.path("id").asText()))
                    .findFirst()
                    .orElseThrow();
            assertThat(r.path("groupId").asText()).isEqualTo(s.group.toString());
            assertThat(r.path("fromThingId").asText()).isEqualTo(c.from().toString());
            assertThat(r.path("fromType").asText()).isEqualTo(c.fromType());
            assertThat(r.path("toThingId").asText()).isEqualTo(c.to().toString());
            assertThat(r.path("toType").asText()).isEqualTo(c.toType());
            assertThat(r.path("relationshipType").asText()).isEqualTo(c.type());
            assertThat(r.path("metadata")).isEqualTo(c.metadata());
            if (c.strength() == null) {
                assertThat(r.path("strength").isNull()).isTrue();
            } else {
                assertThat(r.path("strength").asDouble()).isEqualTo(c.strength());
            }
            assertThat(r.path("createdAt").asText()).isEqualTo(c.createdAt().toString());
            UUID other = "inbound".equals(r.path("direction").asText()) ? c.from() : c.to();
            assertThing(r.path("related"), s, s.thingById(other));
        }
        assertThat(seen).containsExactlyElementsOf(preview);
    }

    private static Map<String, Integer> ints(Map<String, Long> counts) {
        Map<String, Integer> ints = new TreeMap<>();
        counts.forEach((k, v) -> ints.put(k, v.intValue()));
        return ints;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
