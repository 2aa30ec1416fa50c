package dev.strata.quota;

import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.local.FreePorts;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.Topics;
import dev.strata.testing.PackagedService;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestEndpoints;
import dev.strata.testing.TestServers;
import dev.strata.testing.TestTokens;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once does not hang on Kafka keeping the consumer group's offsets: the packaged service is stopped, the
 * group's offsets are deleted (as {@code offsets.retention.minutes} does to an idle group) and the applied ids
 * are gone (as the retention job does after their window), and on restart it goes on from the positions it
 * committed with its counters: nothing is counted twice.
 */
class OffsetLossIT {

    static final String MONTH = "2030-05";
    static final Duration EVENTUALLY = Duration.ofSeconds(120);

    private final List<PackagedService> started = new ArrayList<>();
    private TestEndpoints servers;
    private Admin admin;

    @BeforeEach
    void servers() {
        servers = TestServers.ensureStarted();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()));
        try {
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 6, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopEverything() {
        started.forEach(service -> service.stop(Duration.ofSeconds(5)));
        admin.close(Duration.ofSeconds(2));
    }

    @Test
    void shouldCountNothingTwiceAfterTheGroupsOffsetsAndTheAppliedIdsAreGone() {
        UUID group = UUID.randomUUID();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(groupCreated(group, "enterprise"));
        for (int i = 0; i < 20; i++) {
            events.add(thingCreated(group, "user", 10));
            events.add(apiCalls(group, 3, Instant.parse(MONTH + "-10T00:00:00Z").plusSeconds(i)));
        }
        PackagedService first = start("quota-offsets-1");
        send(events);
        await("the stream is applied", () -> {
            quotas(first, group).body("quotas.users.current", equalTo(20));
            assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(60);
        });
        first.stop(Duration.ofSeconds(10));

        await("the consumer group is gone", () -> {
            try {
                admin.deleteConsumerGroups(List.of("quota-service")).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
            assertThat(admin.listConsumerGroupOffsets("quota-service")
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .isEmpty();
        });
        TestDatabase.update("DELETE FROM quota.applied_events");

        PackagedService second = start("quota-offsets-2");
        send(apiCalls(group, 5, Instant.parse(MONTH + "-20T00:00:00Z")), thingCreated(group, "user", 10));
        await("the new events are applied, the old ones not again", () -> {
            quotas(second, group).body("quotas.users.current", equalTo(21));
            assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(65);
        });
        assertThat(second.logContains("positions from the database")).isTrue();
    }

    private PackagedService start(String name) {
        Path app = Path.of(System.getProperty("quota.app", "target/quarkus-app/quarkus-run.jar"));
        PackagedService service = PackagedService.start(
                name, app, FreePorts.next(), servers, "256m", Map.of(), Map.of(), Path.of("target", "offset-loss"));
        started.add(service);
        return service.awaitReady();
    }

    private static io.restassured.response.ValidatableResponse quotas(PackagedService service, UUID group) {
        return RestAssured.given()
                .baseUri(service.base())
                .auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/quotas", group)
                .then()
                .statusCode(200);
    }

    private static long counter(UUID group, String metric, String period) {
        return TestDatabase.scalar(
                "SELECT coalesce(sum(value), 0) FROM quota.counters"
                        + " WHERE group_id = ? AND metric = ? AND period = ?",
                group,
                metric,
                period);
    }

    private static void await(String what, ThrowingRunnable assertion) {
        Awaitility.await(what)
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(assertion);
    }
}
