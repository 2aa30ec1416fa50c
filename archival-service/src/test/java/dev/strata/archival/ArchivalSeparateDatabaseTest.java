package dev.strata.archival;

import static dev.strata.archival.ArchiveFixtures.archivedIds;
import static dev.strata.archival.ArchiveFixtures.awaitRun;
import static dev.strata.archival.ArchiveFixtures.daysAgo;
import static dev.strata.archival.ArchiveFixtures.events;
import static dev.strata.archival.ArchiveFixtures.hotIds;
import static dev.strata.archival.ArchiveFixtures.ids;
import static dev.strata.archival.ArchiveFixtures.insert;
import static dev.strata.archival.ArchiveFixtures.recordedIds;
import static dev.strata.archival.ArchiveFixtures.run;
import static dev.strata.archival.ArchiveFixtures.startGroupRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.archival.ArchiveFixtures.Event;
import dev.strata.archival.service.CrashPoints;
import dev.strata.model.events.EventEnvelope;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The events table in another database than the service's (here: the same one, reached only through the events
 * datasource): the delete cannot share the bookkeeping's transaction, and a crash between the two is repaired.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
@TestProfile(ArchivalSeparateDatabaseTest.SeparateDatabases.class)
class ArchivalSeparateDatabaseTest {

    public static class SeparateDatabases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strata.archival.events.same-database", "false");
        }
    }

    @Inject
    CrashPoints crashPoints;

    @BeforeAll
    static void setUp() {
        ArchiveFixtures.ingestSchema();
    }

    @AfterEach
    void disarm() {
        crashPoints.reset();
    }

    @Test
    void shouldFinishAnObjectWhoseEventsWereDeletedWhenTheReplicaDiedBeforeCommitting() {
        UUID group = UUID.randomUUID();
        List<Event> old = events(group, daysAgo(400, Duration.ZERO), 35, Duration.ofMinutes(1), "content_event");
        insert(old);

        crashPoints.crashAt(CrashPoints.AFTER_EVENTS_DELETE);
        String crashed = startGroupRun(group, 365);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "failed".equals(run(crashed).getString("status")));
        // The object is verified and its hot copies are gone, but it is not committed yet: it is in S3 only. Their
        // ids went on ingest's archived record in the statement that deleted them, so none can be reused meanwhile.
        assertThat(hotIds(group)).isEmpty();
        assertThat(archivedIds(group)).containsExactlyInAnyOrderElementsOf(ids(old));
        assertThat(recordedIds(group)).isEqualTo(ids(old));

        try (EventStreamProbe stream = new EventStreamProbe()) {
            awaitRun(startGroupRun(group, 365), "succeeded");
            assertThat(hotIds(group)).isEmpty();
            assertThat(archivedIds(group)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(old));
            assertThat(recordedIds(group)).isEqualTo(ids(old));
            Map<String, EventEnvelope> published = ArchiveFixtures.archivedEvents(stream, group, 1);
            assertThat(published).hasSize(1);
            assertThat(ArchiveFixtures.archived(published.values().iterator().next())
                            .count())
                    .isEqualTo(35);
        }
    }
}
