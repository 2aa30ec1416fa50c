package dev.strata.quota;

import static dev.strata.quota.QuotaApi.as;
import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaApi.reserve;
import static dev.strata.quota.QuotaEvents.event;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.GroupChanged;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A group quota-service has not seen on the stream is learned from ingest ({@link FakeIngestGroups} plays its
 * {@code GET /groups/{g}}): reservations and reads answer with the plan ingest names; a group ingest does not know,
 * or cannot tell about, stays 404; the learned plan orders with the group's own events by the plan's time.
 * Limits are SPEC section 3's: starter 100 entities, pro 10,000.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class GroupLearningTest {

    /** A time in the past at microsecond precision, as ingest stores it. */
    private static Instant planTime() {
        return Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void shouldGrantAReservationForAGroupNeverSeenOnTheStreamWithThePlanIngestNames() {
        UUID group = UUID.randomUUID();
        Instant planAt = planTime();
        FakeIngestGroups.group(group, "starter", planAt);

        reserve(group, "entities_total", 100, null).statusCode(201).body("amount", equalTo(100));
        reserve(group, "entities_total", 1, null)
                .statusCode(409)
                .body("metric", equalTo("entities_total"))
                .body("current", equalTo(0))
                .body("reserved", equalTo(100))
                .body("limit", equalTo(100))
                .body("requested", equalTo(1))
                .body("upgrade", equalTo("pro"));
        quotas(group)
                .statusCode(200)
                .body("plan", equalTo("starter"))
                .body("quotas.entities_total.limit", equalTo(100));

        assertThat(storedPlan(group, planAt)).containsExactly(List.of("starter", true));
        // only a group missing from quota's table is asked about: once, not for the later calls
        assertThat(FakeIngestGroups.asked(group)).isEqualTo(1);
    }

    @Test
    void shouldAnswerAQuotaCheckForAGroupNeverSeenOnTheStream() {
        UUID group = UUID.randomUUID();
        FakeIngestGroups.group(group, "pro", planTime());

        as(group)
                .get("/groups/{g}/quotas/entities/check?count=10001", group)
                .then()
                .statusCode(200)
                .body("canCreate", equalTo(false))
                .body("current", equalTo(0))
                .body("limit", equalTo(10000))
                .body("available", equalTo(10000))
                .body("requested", equalTo(10001));
        as(group).get("/groups/{g}/quotas/status", group).then().statusCode(200).body("group.plan", equalTo("pro"));
    }

    @Test
    void shouldStay404ForAGroupIngestDoesNotKnowOrCannotTellAbout() {
        UUID unknown = UUID.randomUUID();
        UUID unreachable = UUID.randomUUID();
        FakeIngestGroups.unreachable(unreachable);

        for (UUID group : List.of(unknown, unreachable)) {
            reserve(group, "entities_total", 1, null)
                    .statusCode(404)
                    .body("type", equalTo("https://strata.dev/problems/not-found"));
            quotas(group).statusCode(404);
            assertThat(FakeIngestGroups.asked(group))
                    .as("ingest asked about %s", group)
                    .isEqualTo(2);
            assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.groups WHERE group_id = ?", group))
                    .isZero();
            assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.reservations WHERE group_id = ?", group))
                    .isZero();
        }
    }

    @Test
    void shouldApplyALaterPlanChangeToALearnedGroup() {
        UUID group = UUID.randomUUID();
        Instant created = planTime();
        Instant changed = created.plusSeconds(60);
        FakeIngestGroups.group(group, "starter", created);
        quotas(group).statusCode(200).body("plan", equalTo("starter"));

        // the group's own events, as ingest wrote them: the group_created at the learned time, then a change to pro
        send(
                event(EventType.GROUP_CREATED, group, created, new GroupChanged(group, "g", "starter", null, created)),
                event(
                        EventType.GROUP_PLAN_CHANGED,
                        group,
                        changed,
                        new GroupChanged(group, "g", "pro", "starter", changed)));

        eventually(() -> quotas(group)
                .statusCode(200)
                .body("plan", equalTo("pro"))
                .body("quotas.entities_total.limit", equalTo(10000)));
        assertThat(storedPlan(group, changed)).containsExactly(List.of("pro", true));
        assertThat(FakeIngestGroups.asked(group)).isEqualTo(1);
    }

    @Test
    void shouldKeepALearnedNewerPlanOverAnOlderGroupCreated() {
        UUID group = UUID.randomUUID();
        Instant changed = planTime();
        Instant created = changed.minusSeconds(60);
        FakeIngestGroups.group(group, "pro", changed);
        // 200 entities: more than starter's 100, within pro's 10,000
        reserve(group, "entities_total", 200, null).statusCode(201);

        // the group_created (starter, older than the learned plan) and, after it on the partition, one thing
        send(
                event(EventType.GROUP_CREATED, group, created, new GroupChanged(group, "g", "starter", null, created)),
                thingCreated(group, "video", 10));
        eventually(() -> assertThat(counter(group, "entities_total", "total")).isEqualTo(1));

        quotas(group).statusCode(200).body("plan", equalTo("pro")).body("quotas.entities_total.limit", equalTo(10000));
        assertThat(storedPlan(group, changed)).containsExactly(List.of("pro", true));
    }

    /**
     * A rebuild makes the plans equal the event stream, which has no event of a group known only from ingest: the swap
     * drops it, and the next request learns it again.
     */
    @Test
    void shouldLearnAGroupAgainAfterARebuildDroppedIt() {
        UUID group = UUID.randomUUID();
        Instant planAt = planTime();
        FakeIngestGroups.group(group, "pro", planAt);
        quotas(group).statusCode(200).body("plan", equalTo("pro"));

        asAdmin().post("/admin/quotas/rebuild").then().statusCode(200);
        assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.groups WHERE group_id = ?", group))
                .isZero();

        reserve(group, "entities_total", 200, null).statusCode(201);
        assertThat(storedPlan(group, planAt)).containsExactly(List.of("pro", true));
        assertThat(FakeIngestGroups.asked(group)).isEqualTo(2);
    }

    /** The group's stored plan, and whether it was set at {@code at}. */
    private static List<List<Object>> storedPlan(UUID group, Instant at) {
        return TestDatabase.rows(
                "SELECT plan, plan_at = ?::timestamptz FROM quota.groups WHERE group_id = ?", at.toString(), group);
    }
}
