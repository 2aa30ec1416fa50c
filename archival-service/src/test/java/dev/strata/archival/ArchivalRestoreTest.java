package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.bytes;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.download;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.exists;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.lines;
import static dev.strata.archival.ArchiveFixtures.objectKeys;
import static dev.strata.archival.ArchiveFixtures.recordedIds;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.archival.service.CrashPoints;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ArchivalRestoreTest {

    @Inject
    CrashPoints crashPoints;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @AfterEach
    void disarm() {
        crashPoints.reset();
    }

    private static JsonPath restore(UUID group, Instant from, Instant to) {
        return given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Objects of the group whose [first, last] event time meets [from, to). */
    private static int objectsOverlapping(UUID group, Instant from, Instant to) {
        int count = 0;
        for (String key : objectKeys(group)) {
            List<JsonNode> lines = lines(bytes(key));
            Instant first = Instant.parse(lines.get(0).get("timestamp").asText());
            Instant last =
                    Instant.parse(lines.get(lines.size() - 1).get("timestamp").asText());
            if (first.isBefore(to) && !last.isBefore(from)) {
                count++;
            }
        }
        return count;
    }

    @Test
    void shouldRestoreExactlyTheRangeAndKeepEveryEventInOnePlace() {
        UUID group = UUID.randomUUID();
        // 20 events on each of three days, every 10 minutes from noon: objects of 20, 20, 10 and 10 events.
        List<Event> old = new ArrayList<>();
        old.addAll(events(group, daysAgo(452, Duration.ZERO), 20, Duration.ofMinutes(10), "user_login"));
        old.addAll(events(group, daysAgo(451, Duration.ZERO), 20, Duration.ofMinutes(10), "content_event"));
        old.addAll(events(group, daysAgo(450, Duration.ZERO), 20, Duration.ofMinutes(10), "revenue_generated"));
        insert(old);
        awaitRun(startGroupRun(group, 365), "succeeded");
        List<String> before = objectKeys(group);
        assertThat(before).hasSize(4);
        assertThat(recordedIds(group)).isEqualTo(ids(old));

        // From 14:00 on the middle day to 13:00 on the last: cuts through two objects, misses the others.
        Instant from = daysAgo(451, Duration.ofHours(2));
        Instant to = daysAgo(450, Duration.ofHours(1));
        Set<UUID> inRange = old.stream()
                .filter(e -> !e.timestamp().isBefore(from) && e.timestamp().isBefore(to))
                .map(Event::id)
                .collect(Collectors.toSet());
        assertThat(inRange).hasSize(8 + 6);
        int overlapping = objectsOverlapping(group, from, to);

        JsonPath restored = restore(group, from, to);
        assertThat(restored.getLong("restored")).isEqualTo(inRange.size());
        assertThat(restored.getLong("alreadyPresent")).isZero();
        assertThat(restored.getInt("objectsRead")).isEqualTo(overlapping);

        assertThat(hotIds(group)).isEqualTo(inRange);
        List<UUID> archived = archivedIds(group);
        assertThat(archived)
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(inRange)
                .hasSize(old.size() - inRange.size());
        assertThat(recordedIds(group)).containsExactlyInAnyOrderElementsOf(archived);
        assertThat(before.stream().filter(key -> !exists(key)).count())
                .as("objects replaced")
                .isEqualTo(2);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/archival/status?groupId=" + group)
                .then()
                .statusCode(200)
                .body("alreadyArchived", org.hamcrest.Matchers.equalTo(old.size() - inRange.size()));
        JsonPath restoreRun = ArchiveFixtures.run(restored.getString("runId"));
        assertThat(restoreRun.getString("kind")).isEqualTo("restore");
        assertThat(restoreRun.getString("status")).isEqualTo("succeeded");
        assertThat(restoreRun.getLong("restore.restored")).isEqualTo(inRange.size());
        JsonNode manifest = ArchiveFixtures.json(restored.getString("manifestKey"));
        assertThat(manifest.get("removed")).hasSize(2);

        // The same range again: nothing left to bring back.
        JsonPath again = restore(group, from, to);
        assertThat(again.getLong("restored")).isZero();
        assertThat(again.getLong("alreadyPresent")).isZero();

        // Restored events are old: the next run archives them again, into new objects, once.
        awaitRun(startGroupRun(group, 365), "succeeded");
        assertThat(hotIds(group)).isEmpty();
        assertThat(archivedIds(group)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(old));
        assertThat(recordedIds(group)).isEqualTo(ids(old));
    }

    @Test
    void shouldFinishARestoreWhoseReplicaDiedAfterPuttingEventsBack() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(480, Duration.ZERO), 30, Duration.ofMinutes(10), "user_login");
        insert(old);
        awaitRun(startGroupRun(group, 365), "succeeded");
        Instant from = daysAgo(480, Duration.ofHours(1));
        Instant to = daysAgo(480, Duration.ofHours(2));
        Set<UUID> inRange = old.stream()
                .filter(e -> !e.timestamp().isBefore(from) && e.timestamp().isBefore(to))
                .map(Event::id)
                .collect(Collectors.toSet());
        assertThat(inRange).hasSize(6);

        crashPoints.crashAt(CrashPoints.RESTORE_AFTER_INSERT);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}")
                .post("/groups/" + group + "/archival/restore")
                .then()
                .statusCode(500);
        String dead = TestDatabase.rows(
                        "SELECT id FROM archival.archive_runs WHERE kind = 'restore' " + "AND group_id = ?", group)
                .get(0)
                .get(0)
                .toString();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "failed".equals(ArchiveFixtures.run(dead).getString("status")));
        // Dead half-way: the range is hot again while its object still holds it; its ids left the archived
        // record with the insert (one transaction), so ingest sees each id in one place.
        assertThat(hotIds(group)).isEqualTo(inRange);
        Set<UUID> outside = ids(old);
        outside.removeAll(inRange);
        assertThat(recordedIds(group)).isEqualTo(outside);

        // The next run (any kind) finishes it first.
        JsonPath next = restore(group, daysAgo(2000, Duration.ZERO), daysAgo(1999, Duration.ZERO));
        assertThat(next.getLong("restored")).isZero();
        assertThat(hotIds(group)).isEqualTo(inRange);
        assertThat(archivedIds(group))
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(inRange)
                .hasSize(old.size() - inRange.size());
        assertThat(recordedIds(group)).isEqualTo(outside);
    }

    @Test
    void shouldCountEventsThatAreHotAlreadyAndNotInsertThemTwice() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(500, Duration.ZERO), 10, Duration.ofMinutes(1), "user_login");
        insert(old);
        awaitRun(startGroupRun(group, 365), "succeeded");
        // The same event hot and archived at once: ingest answers a re-send of an archived id as a duplicate and
        // writes nothing, so only rows written around it (or before ids were unique for ever) can do this.
        insert(List.of(old.get(3)));

        JsonPath restored = restore(group, daysAgo(501, Duration.ZERO), daysAgo(499, Duration.ZERO));
        assertThat(restored.getLong("restored")).isEqualTo(9);
        assertThat(restored.getLong("alreadyPresent")).isEqualTo(1);
        assertThat(restored.getInt("objectsRead")).isEqualTo(1);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.events WHERE group_id = ?", group))
                .isEqualTo(10);
        assertThat(objectKeys(group)).isEmpty();
        assertThat(recordedIds(group)).isEmpty();
    }

    /** All columns of a hot event but its id (metadata parsed: jsonb orders keys its own way). */
    private static List<Object> hotRow(UUID id) {
        List<Object> row = new ArrayList<>(TestDatabase.single("""
                SELECT group_id, type, actor_id, target_id, "timestamp", metadata::text, recorded_at
                FROM ingest.events WHERE id = ?""", id));
        row.set(5, json((String) row.get(5)));
        return row;
    }

    private static List<Object> row(Event event) {
        return Arrays.asList(
                event.groupId(),
                event.type(),
                event.actorId(),
                event.targetId(),
                Timestamp.from(event.timestamp()),
                json(event.metadata()),
                Timestamp.from(event.recordedAt()));
    }

    private static JsonNode json(String text) {
        try {
            return ArchiveFixtures.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The data loss this guards against: an event of group A archived, its id then written hot for group B, and a
     * restore of A's range that counted the archived event as "already present", left it out of the replacement
     * and removed the object. ingest no longer lets B reuse the id (ingest-service's EventBatchTest); the row here
     * is written around it, as one written before ids were unique for ever. The restore refuses that object and
     * leaves it untouched, restores the group's other objects, and once the foreign row is gone restores the
     * event with A's data, in one place.
     */
    @Test
    void shouldRefuseToRestoreAnObjectWhoseIdIsHotForAnotherGroupAndLoseNothing() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        // Two days, objects of 3 and 2 events; the first event's id is the one B holds.
        List<Event> old = new ArrayList<>();
        old.addAll(events(a, daysAgo(520, Duration.ZERO), 3, Duration.ofMinutes(10), "revenue_generated"));
        old.addAll(events(a, daysAgo(519, Duration.ZERO), 2, Duration.ofMinutes(10), "content_event"));
        insert(old);
        awaitRun(startGroupRun(a, 365), "succeeded");
        List<String> keys = objectKeys(a);
        assertThat(keys).hasSize(2);
        String day =
                daysAgo(520, Duration.ZERO).atZone(ZoneOffset.UTC).toLocalDate().toString();
        String refusedKey = keys.stream()
                .filter(key -> key.contains("/date=" + day + "/"))
                .findFirst()
                .orElseThrow();
        byte[] refusedBytes = bytes(refusedKey);
        assertThat(recordedIds(a)).isEqualTo(ids(old));
        Event reused = old.get(0);
        Event theirs = new Event(
                reused.id(),
                b,
                "user_login",
                UUID.randomUUID(),
                null,
                daysAgo(1, Duration.ZERO),
                "{}",
                daysAgo(1, Duration.ZERO));
        insert(List.of(theirs));
        double refusedBefore = refusedObjects();

        JsonPath first = restore(a, daysAgo(521, Duration.ZERO), daysAgo(518, Duration.ZERO));
        assertThat(first.getLong("restored")).isEqualTo(2);
        assertThat(first.getLong("alreadyPresent")).isZero();
        assertThat(first.getLong("refused")).isEqualTo(3);
        assertThat(first.getInt("objectsRead")).isEqualTo(2);
        assertThat(first.getInt("objectsRemoved")).isEqualTo(1);
        assertThat(first.getInt("objectsReplaced")).isZero();
        assertThat(first.getInt("objectsRefused")).isEqualTo(1);
        assertThat(ArchiveFixtures.run(first.getString("runId")).getLong("restore.refused"))
                .isEqualTo(3);
        assertThat(refusedObjects() - refusedBefore).isEqualTo(1.0);
        // The refused object is untouched, its events still recorded as archived; B's row is as it was.
        assertThat(objectKeys(a)).containsExactly(refusedKey);
        assertThat(bytes(refusedKey)).isEqualTo(refusedBytes);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM archival.archived_objects WHERE key = ? AND state = 'archived'",
                        refusedKey))
                .isEqualTo(1);
        assertThat(recordedIds(a)).isEqualTo(ids(old.subList(0, 3)));
        assertThat(hotIds(a)).isEqualTo(ids(old.subList(3, 5)));
        assertThat(hotRow(reused.id())).isEqualTo(row(theirs));

        // An operator removes the row that should never have been written: the restore brings A's event back.
        TestDatabase.update("DELETE FROM ingest.events WHERE id = ? AND group_id = ?", reused.id(), b);
        JsonPath second = restore(a, daysAgo(521, Duration.ZERO), daysAgo(518, Duration.ZERO));
        assertThat(second.getLong("restored")).isEqualTo(3);
        assertThat(second.getLong("alreadyPresent")).isZero();
        assertThat(second.getLong("refused")).isZero();
        assertThat(second.getInt("objectsRemoved")).isEqualTo(1);
        assertThat(second.getInt("objectsRefused")).isZero();
        assertThat(hotIds(a)).isEqualTo(ids(old));
        assertThat(hotRow(reused.id())).isEqualTo(row(reused));
        assertThat(objectKeys(a)).isEmpty();
        assertThat(exists(refusedKey)).isFalse();
        assertThat(recordedIds(a)).isEmpty();
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.events WHERE id = ?", reused.id()))
                .isEqualTo(1);
    }

    /**
     * The restore the bug report ended with, now that B could not reuse the id: A's event comes back with A's
     * data, in one place (hot, no object holds it), and its id leaves the archived record with the insert.
     */
    @Test
    void shouldRestoreAnArchivedEventWithItsOwnDataInOnePlace() {
        UUID a = UUID.randomUUID();
        Event event = events(a, daysAgo(530, Duration.ZERO), 1, Duration.ofMinutes(1), "revenue_generated")
                .get(0);
        insert(List.of(event));
        awaitRun(startGroupRun(a, 365), "succeeded");
        assertThat(hotIds(a)).isEmpty();
        assertThat(archivedIds(a)).containsExactly(event.id());
        assertThat(TestDatabase.rows("SELECT group_id, type FROM ingest.archived_event_ids WHERE id = ?", event.id()))
                .containsExactly(List.of(a, "revenue_generated"));

        JsonPath restored = restore(a, daysAgo(531, Duration.ZERO), daysAgo(529, Duration.ZERO));
        assertThat(restored.getLong("restored")).isEqualTo(1);
        assertThat(restored.getLong("alreadyPresent")).isZero();
        assertThat(restored.getLong("refused")).isZero();
        assertThat(restored.getInt("objectsRead")).isEqualTo(1);
        assertThat(restored.getInt("objectsRemoved")).isEqualTo(1);
        assertThat(hotRow(event.id())).isEqualTo(row(event));
        assertThat(archivedIds(a)).isEmpty();
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.archived_event_ids WHERE id = ?", event.id()))
                .isZero();
    }

    private double refusedObjects() {
        return registry.find("strata.archival.restore.refused").counter().count();
    }

    @Test
    void shouldBeReadableAsIsByDuckDb() throws Exception {
        UUID group = UUID.randomUUID();
        List<Event> old = new ArrayList<>();
        old.addAll(events(
                group,
                daysAgo(600, Duration.ZERO),
                40,
                Duration.ofMinutes(3),
                "revenue_generated",
                "content_event",
                "user_login",
                "content_event"));
        old.addAll(events(
                group, daysAgo(599, Duration.ZERO), 35, Duration.ofMinutes(3), "content_event", "revenue_generated"));
        insert(old);
        awaitRun(startGroupRun(group, 365), "succeeded");

        Map<String, Long> expectedByType = new TreeMap<>();
        Map<String, BigDecimal> expectedRevenue = new TreeMap<>();
        for (Event event : old) {
            expectedByType.merge(event.type(), 1L, Long::sum);
            if (event.type().equals("revenue_generated")) {
                JsonNode metadata = ArchiveFixtures.JSON.readTree(event.metadata());
                expectedRevenue.merge(
                        metadata.get("currency").asText(),
                        metadata.get("amount").decimalValue(),
                        BigDecimal::add);
            }
        }

        Path dir = download(objectKeys(group));
        String files = dir.resolve("events").toString().replace('\\', '/') + "/*/*/*.ndjson.gz";
        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            sql.execute(
                    "CREATE VIEW archive AS SELECT * FROM read_json_auto('" + files + "', hive_partitioning = true)");
            try (ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT id) FROM archive")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(old.size());
                assertThat(rs.getLong(2)).isEqualTo(old.size());
            }
            Map<String, Long> byType = new TreeMap<>();
            try (ResultSet rs = sql.executeQuery("SELECT type, count(*) FROM archive GROUP BY type")) {
                while (rs.next()) {
                    byType.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertThat(byType).isEqualTo(expectedByType);
            Map<String, BigDecimal> revenue = new TreeMap<>();
            try (ResultSet rs = sql.executeQuery("""
                    SELECT metadata.currency, sum(CAST(metadata.amount AS DECIMAL(18, 3)))
                    FROM archive WHERE type = 'revenue_generated' GROUP BY 1""")) {
                while (rs.next()) {
                    revenue.put(rs.getString(1), rs.getBigDecimal(2));
                }
            }
            assertThat(revenue.keySet()).isEqualTo(expectedRevenue.keySet());
            expectedRevenue.forEach(
                    (currency, sum) -> assertThat(revenue.get(currency)).isEqualByComparingTo(sum));
            try (ResultSet rs = sql.executeQuery("SELECT DISTINCT CAST(\"group\" AS VARCHAR) FROM archive")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(group.toString());
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = sql.executeQuery("SELECT count(DISTINCT \"date\") FROM archive")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }
}
