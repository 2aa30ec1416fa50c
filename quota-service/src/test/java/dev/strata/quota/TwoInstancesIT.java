package dev.strata.quota;

import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.connectionCreated;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.knowledgeCreated;
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
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the PACKAGED service (target/quarkus-app) in one consumer group on the 6-partition topic. One is
 * killed (SIGKILL, as a crash: no offset commit, no leaving the group) while the stream goes on; the survivor
 * takes its partitions over, is handed again what the dead one applied but had not committed, and the counters
 * still equal the ground truth exactly.
 */
class TwoInstancesIT {

    static final int PARTITIONS = 6;
    static final String MONTH = "2030-05";
    static final Duration EVENTUALLY = Duration.ofSeconds(120);
    static final String[] TYPES = {"user", "video", "creator", "course"};

    private final List<Instance> started = new ArrayList<>();
    private TestEndpoints servers;
    private Admin admin;

    /** A running replica. */
    record Instance(PackagedService service) {

        String base() {
            return service.base();
        }

        /** A crash: no shutdown hook, no offset commit, no goodbye to the consumer group. */
        void kill() {
            service.kill();
        }
    }

    /** The counters one group must end with, worked out while its events are made. */
    static final class Truth {
        long users;
        long entities;
        long connections;
        long storage;
        long apiCalls;
    }

    @BeforeEach
    void servers() {
        servers = TestServers.ensureStarted();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()));
        try {
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS, PARTITIONS, (short) 1)))
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
        for (Instance instance : started) {
            instance.kill();
            instance.service().stop(Duration.ofSeconds(5));
        }
        admin.close(Duration.ofSeconds(2));
    }

    @Test
    void shouldCountEveryEventOnceWhenOneOfTwoInstancesDiesMidStream() {
        Instance a = start("quota-a");
        Instance b = start("quota-b");
        await("both replicas share the partitions", () -> {
            List<MemberDescription> members = group().members().stream().toList();
            assertThat(members).hasSize(2);
            assertThat(members)
                    .allSatisfy(
                            m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
        });

        // One group per partition, so each replica has groups of its own.
        List<UUID> groups = groupsOnEveryPartition();
        Map<UUID, Truth> truth = new LinkedHashMap<>();
        groups.forEach(g -> truth.put(g, new Truth()));
        List<EventEnvelope> first = new ArrayList<>();
        groups.forEach(g -> first.add(groupCreated(g, "enterprise")));
        groups.forEach(g -> first.addAll(wave(g, 1, truth.get(g))));
        send(first);

        await("both replicas applied part of the stream", () -> {
            assertThat(appliedBy(a)).isPositive();
            assertThat(appliedBy(b)).isPositive();
        });
        b.kill();

        for (int wave = 2; wave <= 3; wave++) {
            List<EventEnvelope> next = new ArrayList<>();
            for (UUID group : groups) {
                next.addAll(wave(group, wave, truth.get(group)));
            }
            send(next);
        }
        send(first); // and every event of the first wave again, as a relay that crashed before marking would

        await("the survivor owns every partition", () -> {
            List<MemberDescription> members = group().members().stream().toList();
            assertThat(members).hasSize(1);
            assertThat(members.get(0).assignment().topicPartitions()).hasSize(PARTITIONS);
        });
        for (UUID group : groups) {
            Truth expected = truth.get(group);
            await(
                    "counters of " + group,
                    () -> quotas(a, group)
                            .body("plan", equalTo("enterprise"))
                            .body("quotas.users.current", equalTo((int) expected.users))
                            .body("quotas.entities_total.current", equalTo((int) expected.entities))
                            .body("quotas.connections_total.current", equalTo((int) expected.connections)));
            assertThat(counter(group, "storage_gb", "total")).isEqualTo(expected.storage);
            assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(expected.apiCalls);
        }
        assertThat(TestDatabase.scalar("SELECT count(*) FROM quota.rejected_events"))
                .isZero();
        // Every resent event of the first wave lies behind its original on the same partition: a duplicate.
        assertThat(duplicatesSkippedBy(a)).isGreaterThanOrEqualTo(first.size());
        await(
                "the survivor committed everything",
                () -> RestAssured.given()
                        .baseUri(a.base())
                        .auth()
                        .oauth2(TestTokens.admin())
                        .get("/admin/quotas/lag")
                        .then()
                        .statusCode(200)
                        .body("totalLag", equalTo(0)));
    }

    /** 300 events of one group: things of four types, connections, knowledge and api calls of {@link #MONTH}. */
    private static List<EventEnvelope> wave(UUID group, int wave, Truth truth) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String type = TYPES[i % TYPES.length];
            int bytes = 10 * i + wave;
            events.add(thingCreated(group, type, bytes));
            truth.entities++;
            truth.users += type.equals("user") || type.equals("creator") ? 1 : 0;
            truth.storage += bytes;
            events.add(connectionCreated(group));
            truth.connections++;
        }
        for (int i = 0; i < 50; i++) {
            int dimensions = i % 2 == 0 ? 0 : 8;
            events.add(knowledgeCreated(group, 20 + i, dimensions));
            truth.storage += 20 + i + 4L * dimensions;
            events.add(apiCalls(
                    group, i + 1, Instant.parse(MONTH + "-10T00:00:00Z").plusSeconds(i)));
            truth.apiCalls += i + 1;
        }
        return events;
    }

    /** Random groups until every partition has one (producers key by group id: Kafka's default partitioner). */
    private static List<UUID> groupsOnEveryPartition() {
        Map<Integer, UUID> byPartition = new HashMap<>();
        while (byPartition.size() < PARTITIONS) {
            UUID group = UUID.randomUUID();
            byte[] key = group.toString().getBytes(StandardCharsets.UTF_8);
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS, group);
        }
        return new ArrayList<>(byPartition.values());
    }

    private Instance start(String name) {
        int port = FreePorts.next();
        Path app = Path.of(System.getProperty("quota.app", "target/quarkus-app/quarkus-run.jar"));
        // A dead replica's partitions move after 6 s rather than Kafka's default 45 s.
        PackagedService service = PackagedService.start(
                name,
                app,
                port,
                servers,
                "256m",
                Map.of(
                        "mp.messaging.incoming.events-in.session.timeout.ms", "6000",
                        "mp.messaging.incoming.events-in.heartbeat.interval.ms", "1000"),
                Map.of(),
                Path.of("target", "two-instances"));
        Instance instance = new Instance(service);
        started.add(instance);
        // One at a time: both would run Flyway on the fresh database at once.
        service.awaitReady();
        return instance;
    }

    /** Events this replica counted, from its lag endpoint. */
    private static long appliedBy(Instance instance) {
        return RestAssured.given()
                .baseUri(instance.base())
                .auth()
                .oauth2(TestTokens.admin())
                .get("/admin/quotas/lag")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("applied.eventsApplied");
    }

    /** The replica's {@code strata.quota.events.duplicate} counter, from its Prometheus metrics. */
    private static double duplicatesSkippedBy(Instance instance) {
        String metrics = RestAssured.given()
                .baseUri(instance.base())
                .accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(line -> line.startsWith("strata_quota_events_duplicate_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static ValidatableResponse quotas(Instance instance, UUID group) {
        return RestAssured.given()
                .baseUri(instance.base())
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

    private ConsumerGroupDescription group() throws Exception {
        return admin.describeConsumerGroups(List.of("quota-service"))
                .all()
                .get()
                .get("quota-service");
    }

    private static void await(String what, ThrowingRunnable assertion) {
        Awaitility.await(what)
                .atMost(EVENTUALLY)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(assertion);
    }
}
