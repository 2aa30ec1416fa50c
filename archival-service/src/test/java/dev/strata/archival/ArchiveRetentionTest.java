package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.exists;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.json;
import static dev.strata.archival.ArchiveFixtures.manifests;
import static dev.strata.archival.ArchiveFixtures.objectKeys;
import static dev.strata.archival.ArchiveFixtures.recordedIds;
import static dev.strata.archival.ArchiveFixtures.run;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.archival.service.CrashPoints;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The archive's own retention (retention-days, 2555 by default): a run over every group removes from S3 the
 * objects whose newest event is older than that, records them removed and lists them in its manifest, and keeps
 * every object of a group on legal hold until the hold is lifted. Event ids stay recorded as used. A run that dies
 * between expiring and removing is finished by the next one.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ArchiveRetentionTest {

    @Inject
    CrashPoints crashPoints;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @Test
    void shouldRemoveObjectsPastTheArchivesRetentionExceptAGroupOnLegalHold() {
        UUID free = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        List<Event> all = new ArrayList<>();
        for (UUID group : List.of(free, held)) {
            // 2600 and 2590 days old: past 2555; 2500 and 400 days old: within it
            for (int days : new int[] {2600, 2590, 2500, 400}) {
                all.addAll(events(group, daysAgo(days, Duration.ZERO), 3, Duration.ofMinutes(1), "user_login"));
            }
        }
        insert(all);
        for (UUID group : List.of(free, held)) {
            awaitRun(startGroupRun(group, 365), "succeeded");
            assertThat(objectKeys(group)).hasSize(4);
        }
        List<String> freeOld = keysOlderThan(free, 2555);
        List<String> heldOld = keysOlderThan(held, 2555);
        assertThat(freeOld).hasSize(2);
        assertThat(heldOld).hasSize(2);

        String admin = TestTokens.admin();
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"reason\": \"  \"}")
                .put("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("reason"));
        given().auth()
                .oauth2(TestTokens.forTenants(held))
                .contentType("application/json")
                .body("{\"reason\": \"mine\"}")
                .put("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(admin)
                .get("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"reason\": \"case 2026-114\"}")
                .put("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(200)
                .body("groupId", equalTo(held.toString()))
                .body("reason", equalTo("case 2026-114"));
        given().auth()
                .oauth2(admin)
                .get("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(200)
                .body("reason", equalTo("case 2026-114"));

        String first = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath run = awaitRun(first, "succeeded");
        assertThat(run.getInt("expiredObjects")).isGreaterThanOrEqualTo(2);
        freeOld.forEach(key -> assertThat(exists(key)).as(key).isFalse());
        assertThat(objectKeys(free)).hasSize(2);
        heldOld.forEach(key -> assertThat(exists(key)).as(key).isTrue());
        assertThat(objectKeys(held)).hasSize(4);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM archival.archived_objects WHERE group_id = ?" + " AND state = 'removed'",
                        free))
                .isEqualTo(2);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM archival.archived_objects WHERE group_id = ?" + " AND state = 'archived'",
                        held))
                .isEqualTo(4);
        JsonNode manifest = json(run.getString("manifestKey"));
        List<String> removed = new ArrayList<>();
        manifest.path("removed").forEach(entry -> {
            if (entry.path("groupId").asText().equals(free.toString())) {
                removed.add(entry.path("key").asText());
                assertThat(entry.path("removedBy").asText()).isEqualTo(first);
            }
        });
        assertThat(removed).containsExactlyInAnyOrderElementsOf(freeOld);
        // the ids stay recorded as used: ingest never takes them again
        assertThat(recordedIds(free))
                .isEqualTo(
                        ids(all.stream().filter(e -> e.groupId().equals(free)).toList()));
        assertThat(archivedIds(free)).hasSize(6);

        given().auth()
                .oauth2(admin)
                .delete("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(admin)
                .delete("/groups/{g}/archival/legal-hold", held)
                .then()
                .statusCode(404);
        String second = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitRun(second, "succeeded");
        heldOld.forEach(key -> assertThat(exists(key)).as(key).isFalse());
        assertThat(objectKeys(held)).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.AFTER_EXPIRE, CrashPoints.AFTER_EXPIRED_DELETE})
    void shouldFinishAnExpiryWhoseRunDiedBetweenItsSteps(String point) {
        UUID group = UUID.randomUUID();
        List<Event> old = new ArrayList<>();
        for (int days : new int[] {2700, 2650}) {
            old.addAll(events(group, daysAgo(days, Duration.ZERO), 3, Duration.ofMinutes(1), "user_login"));
        }
        insert(old);
        awaitRun(startGroupRun(group, 365), "succeeded");
        List<String> keys = objectKeys(group);
        assertThat(keys).hasSize(2);

        crashPoints.crashAt(point);
        String admin = TestTokens.admin();
        String crashed = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // The dead replica's run is reported failed once its heartbeat is older than the timeout.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "failed".equals(run(crashed).getString("status")));
        assertThat(run(crashed).getString("error")).contains("no heartbeat");
        // Recorded expired before anything left S3; a delete not yet recorded leaves its row expired.
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM archival.archived_objects WHERE group_id = ?" + " AND state = 'expired'",
                        group))
                .isEqualTo(2);
        if (point.equals(CrashPoints.AFTER_EXPIRE)) {
            keys.forEach(key -> assertThat(exists(key)).as(key).isTrue());
        }

        String rerun = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitRun(rerun, "succeeded");
        keys.forEach(key -> assertThat(exists(key)).as(key).isFalse());
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM archival.archived_objects WHERE group_id = ?" + " AND state = 'removed'",
                        group))
                .isEqualTo(2);
        // Each removal is listed once, by the run that finished it.
        Map<String, List<String>> removedBy = new HashMap<>();
        for (JsonNode manifest : manifests()) {
            manifest.path("removed").forEach(entry -> {
                if (keys.contains(entry.path("key").asText())) {
                    removedBy
                            .computeIfAbsent(entry.path("key").asText(), k -> new ArrayList<>())
                            .add(entry.path("removedBy").asText());
                }
            });
        }
        assertThat(removedBy).containsOnlyKeys(keys);
        removedBy.values().forEach(runs -> assertThat(runs).containsExactly(rerun));
        assertThat(recordedIds(group)).isEqualTo(ids(old));
    }

    /** The group's object keys whose date partition is more than {@code days} days ago. */
    private static List<String> keysOlderThan(UUID group, int days) {
        String before = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .minusDays(days)
                .toString();
        return objectKeys(group).stream()
                .filter(key -> key.replaceAll(".*/date=([^/]+)/.*", "$1").compareTo(before) < 0)
                .toList();
    }
}
