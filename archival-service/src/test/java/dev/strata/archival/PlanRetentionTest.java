package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group's cut-off is its plan's {@code events_retention_days} as quota-service reports it (here
 * {@link FakeQuotaRetention}, served by the application under test): starter 90 days, pro 365, enterprise
 * (unlimited) the service default of 365; this service's per-group override wins over the plan; a plan change takes
 * effect at the next run; quota-service away fails the run rather than guess.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class PlanRetentionTest {

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @AfterEach
    void forget() {
        FakeQuotaRetention.clear();
    }

    @Test
    void shouldArchiveEachGroupAtItsPlansRetentionAndFollowAPlanChangeAtTheNextRun() {
        UUID starter = UUID.randomUUID();
        UUID pro = UUID.randomUUID();
        UUID enterprise = UUID.randomUUID();
        UUID custom = UUID.randomUUID(); // a pro group whose quota override gives it 30 days
        FakeQuotaRetention.group(starter, "starter", 90L);
        FakeQuotaRetention.group(pro, "pro", 365L);
        FakeQuotaRetention.group(enterprise, "enterprise", null);
        FakeQuotaRetention.group(custom, "pro", 30L);
        // The override of application.properties (30 days) wins over the plan quota reports for it (starter, 90).
        FakeQuotaRetention.group(ArchivalRunTest.SHORT_RETENTION_GROUP, "starter", 90L);
        // 1,100 groups more, so the service reads two pages (it asks for 1,000 at a time; the fake pages the same)
        for (int i = 0; i < 1_100; i++) {
            FakeQuotaRetention.group(UUID.randomUUID(), "starter", 90L);
        }

        // Each group: events 400, 200, 100, 60 and 10 days old.
        List<Event> all = new ArrayList<>();
        for (UUID group : List.of(starter, pro, enterprise, custom)) {
            for (int days : new int[] {400, 200, 100, 60, 10}) {
                all.addAll(events(group, daysAgo(days, Duration.ZERO), 2, Duration.ofMinutes(1), "user_login"));
            }
        }
        List<Event> overridden = events(
                ArchivalRunTest.SHORT_RETENTION_GROUP,
                daysAgo(45, Duration.ZERO),
                3,
                Duration.ofMinutes(1),
                "content_event");
        insert(all);
        insert(overridden);

        String admin = TestTokens.admin();
        JsonPath starterStatus = given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + starter)
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(90))
                .body("retention.source", equalTo("plan"))
                .body("retention.plan", equalTo("starter"))
                .body("config.ageThresholdDays", equalTo(90))
                .body("eligibleForArchival", equalTo(6))
                .extract()
                .jsonPath();
        assertThat(Instant.parse(starterStatus.getString("cutoff")))
                .isBetween(
                        Instant.now().minus(90, ChronoUnit.DAYS).minusSeconds(60),
                        Instant.now().minus(90, ChronoUnit.DAYS));
        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + enterprise)
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(365))
                .body("retention.source", equalTo("default"))
                .body("retention.plan", equalTo("enterprise"))
                .body("eligibleForArchival", equalTo(2));
        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + custom)
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(30))
                .body("eligibleForArchival", equalTo(8));
        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + ArchivalRunTest.SHORT_RETENTION_GROUP)
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(30))
                .body("retention.source", equalTo("override"));
        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(365))
                .body("retention.source", equalTo("default"));
        given().auth()
                .oauth2(admin)
                .get("/archival/status")
                .then()
                .statusCode(200)
                .body("retention.days", equalTo(365))
                .body("groupsByRetention.'90'", equalTo(1_101))
                .body("groupsByRetention.'30'", equalTo(2));
        JsonPath eligible = given().auth()
                .oauth2(admin)
                .get("/archival/eligible?groupId=" + starter)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(eligible.getInt("count")).isEqualTo(6);
        assertThat(Instant.parse(eligible.getString("cutoffs." + starter)))
                .isEqualTo(Instant.parse(eligible.getString("before")));

        int pagesBefore = FakeQuotaRetention.PAGES_SERVED.get();
        String first = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitRun(first, "succeeded");
        assertThat(FakeQuotaRetention.PAGES_SERVED.get() - pagesBefore)
                .as("pages read for the run")
                .isEqualTo(2);
        assertThat(archivedIds(starter)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, starter, 90)));
        assertThat(hotIds(starter)).isEqualTo(ids(youngerThan(all, starter, 90)));
        assertThat(archivedIds(pro)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, pro, 365)));
        assertThat(archivedIds(enterprise)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, enterprise, 365)));
        assertThat(archivedIds(custom)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, custom, 30)));
        assertThat(archivedIds(ArchivalRunTest.SHORT_RETENTION_GROUP)).containsAll(ids(overridden));

        // pro becomes starter (a plan change quota-service reports): the next run archives its 200- and 100-day-old
        // events; the default manual group run follows the plan too.
        FakeQuotaRetention.group(pro, "starter", 90L);
        String second = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitRun(second, "succeeded");
        assertThat(archivedIds(pro)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, pro, 90)));
        FakeQuotaRetention.group(enterprise, "starter", 90L);
        String manual = given().auth()
                .oauth2(admin)
                .post("/groups/" + enterprise + "/archival")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath manualRun = awaitRun(manual, "succeeded");
        assertThat(manualRun.getInt("daysCutoff")).isEqualTo(90);
        assertThat(archivedIds(enterprise)).containsExactlyInAnyOrderElementsOf(ids(olderThan(all, enterprise, 90)));
    }

    @Test
    void shouldFailTheRunRatherThanGuessACutoffWhileQuotaServiceIsAway() {
        UUID starter = UUID.randomUUID();
        FakeQuotaRetention.group(starter, "starter", 90L);
        List<Event> old = events(starter, daysAgo(120, Duration.ZERO), 3, Duration.ofMinutes(1), "user_login");
        insert(old);
        FakeQuotaRetention.unavailable(true);

        String admin = TestTokens.admin();
        given().auth()
                .oauth2(admin)
                .get("/archival/status?groupId=" + starter)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"));
        String failed = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath run = awaitRun(failed, "failed");
        assertThat(run.getString("error")).contains("quota-service");
        assertThat(hotIds(starter)).isEqualTo(ids(old));

        // quota-service back: the next run archives what the plan says.
        FakeQuotaRetention.unavailable(false);
        String next = given().auth()
                .oauth2(admin)
                .post("/archival/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitRun(next, "succeeded");
        assertThat(archivedIds(starter)).containsExactlyInAnyOrderElementsOf(ids(old));
        assertThat(hotIds(starter)).isEmpty();
    }

    private static List<Event> olderThan(List<Event> events, UUID group, int days) {
        Instant cutoff = Instant.now().minus(days, ChronoUnit.DAYS);
        return events.stream()
                .filter(e -> e.groupId().equals(group) && e.timestamp().isBefore(cutoff))
                .toList();
    }

    private static List<Event> youngerThan(List<Event> events, UUID group, int days) {
        Instant cutoff = Instant.now().minus(days, ChronoUnit.DAYS);
        return events.stream()
                .filter(e -> e.groupId().equals(group) && !e.timestamp().isBefore(cutoff))
                .toList();
    }
}
