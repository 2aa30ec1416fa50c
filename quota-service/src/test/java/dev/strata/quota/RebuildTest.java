package dev.strata.quota;

import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.streamarchive.StreamArchiveCoverage;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestS3;
import dev.strata.testing.TopicArchive;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class RebuildTest {

    @Inject
    TestClock clock;

    @Inject
    StreamArchiveCoverage coverage;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldRestoreCountersFromTheTopicAfterTheyWereCorrupted() {
        clock.set(UsageCountersTest.NOW);
        UUID group = UUID.randomUUID();
        UsageCountersTest.Mixed truth = UsageCountersTest.mixed(group);
        send(truth.events());
        send(truth.events()); // the topic holds duplicates too: the replay must not count them twice
        eventually(() ->
                quotas(group).statusCode(200).body("quotas.entities_total.current", equalTo((int) truth.entities())));

        TestDatabase.update("UPDATE quota.counters SET value = value + 1000 WHERE group_id = ?", group);
        TestDatabase.update("DELETE FROM quota.counters WHERE group_id = ? AND metric = 'users'", group);
        TestDatabase.update("DELETE FROM quota.usage_daily WHERE group_id = ?", group);
        TestDatabase.update("UPDATE quota.groups SET plan = 'starter' WHERE group_id = ?", group);
        quotas(group)
                .body("quotas.entities_total.current", equalTo((int) truth.entities() + 1000))
                .body("quotas.users.current", equalTo(0))
                .body("plan", equalTo("starter"));

        asAdmin()
                .post("/admin/quotas/rebuild")
                .then()
                .statusCode(200)
                .body("recordsRead", greaterThan((int) (2 * truth.events().size()) - 1))
                .body("partitions", equalTo(6));

        quotas(group).statusCode(200).body("plan", equalTo("pro"));
        assertCountsTheTruth(group, truth);

        // The live consumer goes on after the swap: a new event counts once, the old ones not again.
        send(truth.events());
        send(thingCreated(group, "user", 3));
        eventually(() -> quotas(group).body("quotas.entities_total.current", equalTo((int) truth.entities() + 1)));
        assertThat(counter(group, "users", "total")).isEqualTo(truth.users() + 1);
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(truth.storageBytes() + 3);
    }

    @Test
    void shouldRebuildFromTheStreamArchiveAfterTheTopicDeletedItsOldSegments() {
        clock.set(UsageCountersTest.NOW);
        UUID group = UUID.randomUUID();
        UsageCountersTest.Mixed truth = UsageCountersTest.mixed(group);
        send(truth.events());
        eventually(() ->
                quotas(group).statusCode(200).body("quotas.entities_total.current", equalTo((int) truth.entities())));

        // What retention does to a topic: its old segments go. The group's events are only in the archive now.
        TopicArchive.Archived archived = TopicArchive.archiveTopic();
        TopicArchive.deleteFromTopic(archived.to());
        TestDatabase.update("UPDATE quota.counters SET value = value + 1000 WHERE group_id = ?", group);
        TestDatabase.update("DELETE FROM quota.usage_daily WHERE group_id = ?", group);

        asAdmin().post("/admin/quotas/rebuild").then().statusCode(200).body("recordsFromArchive", equalTo((int)
                archived.total()));

        assertCountsTheTruth(group, truth);
    }

    @Test
    void shouldRefuseARebuildThatWouldMissRecordsNeitherOnTheTopicNorArchived() {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"), thingCreated(group, "user", 1));
        eventually(() -> quotas(group).statusCode(200).body("quotas.users.current", equalTo(1)));
        TopicArchive.Archived archived = TopicArchive.archiveTopic();
        TopicArchive.deleteFromTopic(archived.to());
        assertThat(coverage.gap()).isNull();

        // The archive as if its archiver had stopped early: it ends before the topic now begins.
        S3Client s3 = TestS3.client();
        ObjectNode manifest = TopicArchive.manifest(s3);
        ObjectNode lagging = manifest.deepCopy();
        ObjectNode partition = (ObjectNode) lagging.withArray("partitions").get(0);
        long to = partition.get("to").asLong();
        partition.put("to", to - 1);
        TopicArchive.writeManifest(s3, lagging);
        try {
            // What a service says at start when the topic's retention is finite.
            assertThat(coverage.gap()).contains("offsets [" + (to - 1) + ", " + to + ")");
            asAdmin()
                    .post("/admin/quotas/rebuild")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("offsets [" + (to - 1) + ", " + to + ")"));
            quotas(group).statusCode(200).body("quotas.users.current", equalTo(1));
        } finally {
            TopicArchive.writeManifest(s3, manifest);
        }
        asAdmin().post("/admin/quotas/rebuild").then().statusCode(200);
        quotas(group).statusCode(200).body("quotas.users.current", equalTo(1));
    }

    /** Counters and daily history equal what the group's events say, worked out by the test's scenario. */
    private static void assertCountsTheTruth(UUID group, UsageCountersTest.Mixed truth) {
        quotas(group)
                .statusCode(200)
                .body("quotas.users.current", equalTo((int) truth.users()))
                .body("quotas.entities_total.current", equalTo((int) truth.entities()))
                .body("quotas.connections_total.current", equalTo((int) truth.connections()))
                .body("quotas.api_calls_per_month.current", equalTo((int) truth.apiCalls()));
        assertThat(counter(group, "storage_gb", "total")).isEqualTo(truth.storageBytes());
        assertThat(TestDatabase.scalar(
                        "SELECT sum(delta) FROM quota.usage_daily WHERE group_id = ? AND metric = ?",
                        group,
                        "entities_total"))
                .isEqualTo(truth.entities());
    }
}
