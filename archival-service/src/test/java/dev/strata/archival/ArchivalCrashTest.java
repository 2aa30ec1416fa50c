package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.manifests;
import static dev.strata.archival.ArchiveFixtures.objectKeys;
import static dev.strata.archival.ArchiveFixtures.recordedIds;
import static dev.strata.archival.ArchiveFixtures.run;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.archival.service.CrashPoints;
import dev.strata.model.events.EventEnvelope;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A replica "dies" at each step of a run (the run is left running, its heartbeat stops), the run is reported
 * failed, and a second run finishes the job: afterwards every event is in exactly one place, hot or in exactly
 * one object, each object is listed by exactly one manifest, and one events_archived was published per object.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ArchivalCrashTest {

    private static EventStreamProbe stream;

    @Inject
    CrashPoints crashPoints;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void tearDown() {
        stream.close();
    }

    @AfterEach
    void disarm() {
        crashPoints.reset();
    }

    /**
     * {@code passes}: how many times the point is passed before the replica dies. Uploads run several at once, so
     * with passes &gt; 0 the replica dies with objects of several pages in every state (planned, uploaded, verified,
     * committed).
     */
    @ParameterizedTest
    @CsvSource({
        "afterPlan, 0",
        "afterUpload, 0",
        "afterVerify, 0",
        "afterDelete, 0",
        "beforeManifest, 0",
        "afterPlan, 2",
        "afterUpload, 2",
        "afterVerify, 3",
        "afterDelete, 2"
    })
    void shouldLoseAndDuplicateNothingWhenTheReplicaDiesAndTheNextRunFinishes(String point, int passes) {
        UUID group = UUID.randomUUID();
        // 120 old events over three days: pages of 50 make objects of 30+20, 30+20 and 20 (five objects).
        List<Event> old = new ArrayList<>();
        old.addAll(
                events(group, daysAgo(402, Duration.ZERO), 30, Duration.ofMinutes(5), "user_login", "content_event"));
        old.addAll(events(group, daysAgo(401, Duration.ZERO), 50, Duration.ofMinutes(5), "revenue_generated"));
        old.addAll(events(group, daysAgo(400, Duration.ZERO), 40, Duration.ofMinutes(5), "content_event"));
        List<Event> young = events(group, daysAgo(30, Duration.ZERO), 10, Duration.ofMinutes(5), "user_login");
        insert(old);
        insert(young);
        Set<UUID> all = ids(old);
        all.addAll(ids(young));

        crashPoints.crashAt(point, passes);
        String crashed = startGroupRun(group, 365);
        // The dead replica's run is reported failed once its heartbeat is older than the timeout.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "failed".equals(run(crashed).getString("status")));
        JsonPath failed = run(crashed);
        assertThat(failed.getString("error")).contains("no heartbeat");
        assertThat(failed.getBoolean("stale")).isFalse();
        assertEveryEventInExactlyOnePlace(group, all);
        if (passes == 0 && !point.equals(CrashPoints.AFTER_DELETE) && !point.equals(CrashPoints.BEFORE_MANIFEST)) {
            assertThat(hotIds(group))
                    .as("nothing leaves the hot store before its object is verified")
                    .isEqualTo(all);
        }

        String rerun = startGroupRun(group, 365);
        assertThat(rerun).isNotEqualTo(crashed);
        JsonPath finished = awaitRun(rerun, "succeeded");

        assertThat(hotIds(group)).isEqualTo(ids(young));
        List<UUID> archived = archivedIds(group);
        assertThat(archived).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(old));
        assertEveryEventInExactlyOnePlace(group, all);

        // The objects planned before the crash kept their keys: five objects in all, no strays.
        List<String> keys = objectKeys(group);
        assertThat(keys).hasSize(5);
        assertThat(keys).allMatch(key -> key.contains(crashed) || key.contains(rerun));
        long committed = TestDatabase.scalar(
                "SELECT count(*) FROM archival.archived_objects WHERE group_id = ? AND state = 'archived'", group);
        assertThat(committed).isEqualTo(5);
        assertThat(finished.getLong("totalArchived") + failed.getLong("totalArchived"))
                .isEqualTo(120);

        // Every object is listed by exactly one manifest, and both runs' manifests exist.
        Map<String, Integer> listings = new HashMap<>();
        List<String> manifestRuns = new ArrayList<>();
        for (JsonNode manifest : manifests()) {
            manifestRuns.add(manifest.get("runId").asText());
            manifest.get("objects").forEach(o -> listings.merge(o.get("key").asText(), 1, Integer::sum));
        }
        for (String key : keys) {
            assertThat(listings.get(key)).as("manifests listing %s", key).isEqualTo(1);
        }
        assertThat(manifestRuns).contains(rerun);
        if (point.equals(CrashPoints.BEFORE_MANIFEST)) {
            assertThat(manifestRuns)
                    .as("the dead run's claimed manifest, written by the next run")
                    .contains(crashed);
        }

        // One events_archived per object, never two (delivery is at least once: a redelivery repeats an id).
        Map<String, EventEnvelope> distinct = ArchiveFixtures.archivedEvents(stream, group, 5);
        assertThat(distinct).hasSize(5);
        assertThat(distinct.values().stream()
                        .map(e -> ArchiveFixtures.archived(e).objectKey())
                        .toList())
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(distinct.values().stream()
                        .mapToLong(e -> ArchiveFixtures.archived(e).count())
                        .sum())
                .isEqualTo(120);
    }

    /**
     * Hot XOR archived (committed) for every event; an event never sits in two committed objects; the archived ones
     * are exactly those ingest has on record as archived.
     */
    private static void assertEveryEventInExactlyOnePlace(UUID group, Set<UUID> all) {
        Set<UUID> hot = hotIds(group);
        List<List<Object>> rows = TestDatabase.rows("""
                SELECT unnest(event_ids) FROM archival.archived_objects
                WHERE group_id = ? AND state = 'archived'""", group);
        List<UUID> committed = rows.stream().map(row -> (UUID) row.get(0)).toList();
        assertThat(committed).doesNotHaveDuplicates();
        // ingest's record of archived ids changes in the transaction that commits the object: exactly these.
        assertThat(recordedIds(group)).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(java.util.Collections.disjoint(hot, committed))
                .as("hot and archived overlap")
                .isTrue();
        Set<UUID> union = new java.util.HashSet<>(hot);
        union.addAll(committed);
        assertThat(union).isEqualTo(all);
    }
}
