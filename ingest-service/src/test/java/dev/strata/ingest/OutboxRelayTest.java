package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.postThings;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxConfig;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.outbox.OutboxRelay;
import dev.strata.support.outbox.OutboxStore;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay against a real broker that goes away and comes back, against competing relays, and with an
 * event the broker refuses among others.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class OutboxRelayTest {

    @Inject
    Pool pool;

    @Inject
    OutboxStore store;

    @Inject
    OutboxConfig config;

    @Inject
    EventStreamConfig eventStream;

    @Inject
    EventFactory events;

    @Inject
    OutboxRelay relay;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry registry;

    @Test
    void shouldDeliverEveryCommittedEventInOrderAfterTheBrokerWasStoppedAndStarted() {
        UUID group = newGroup("enterprise");
        awaitOutboxEmpty(group);
        List<String> expected = new ArrayList<>();
        TestServers.stopKafka();
        try {
            for (int batch = 0; batch < 3; batch++) {
                List<String> created = postThings(group, things(200, "outage " + batch))
                        .statusCode(200)
                        .extract()
                        .path("created");
                expected.addAll(created);
            }
            // api_call events of the metering window may join them at any moment: not counted
            assertThat(TestDatabase.scalar(
                            "SELECT count(*) FROM ingest.outbox WHERE group_id = ?"
                                    + " AND payload::jsonb ->> 'type' <> ?",
                            group,
                            EventType.API_CALL))
                    .as("events wait in the outbox while Kafka is down")
                    .isEqualTo(3 * 201);
        } finally {
            TestServers.startKafka();
        }
        try (EventStreamProbe stream = new EventStreamProbe()) {
            List<EventEnvelope> things = stream.awaitDistinct(
                    group, EventStreamProbe.ofType(EventType.THING_CREATED), 600, Duration.ofSeconds(90));
            // At least once: a send cut short by the outage may be repeated, but nothing is lost and the first
            // deliveries keep the group's order.
            assertThat(things.stream().map(EventEnvelope::subject).distinct().toList())
                    .containsExactlyElementsOf(expected);
            List<EventEnvelope> all = stream.all(group, Duration.ofMillis(500));
            // group_created + 3 x (200 things + batch_import); api_call events from metering come on top
            assertThat(all.stream()
                            .filter(e -> !e.type().equals(EventType.API_CALL))
                            .map(EventEnvelope::id)
                            .distinct())
                    .hasSize(1 + 3 * 201);
        }
        awaitOutboxEmpty(group);
    }

    private static void awaitOutboxEmpty(UUID group) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                TestDatabase.scalar("SELECT count(*) FROM ingest.outbox WHERE group_id = ?", group))
                        .isZero());
    }

    @Test
    void shouldNeverPublishARowTwiceWhenRelaysOfSeveralReplicasCompete() {
        UUID group = newGroup("enterprise");
        // Three more relays, as three more ingest replicas would run, all on the same outbox.
        List<OutboxRelay> replicas = IntStream.range(0, 3)
                .mapToObj(i -> new OutboxRelay(pool, store, config, eventStream, kafkaConfig, registry))
                .toList();
        replicas.forEach(OutboxRelay::start);
        try {
            List<String> expected = new ArrayList<>();
            for (int batch = 0; batch < 5; batch++) {
                List<String> created = postThings(group, things(300, "race " + batch))
                        .statusCode(200)
                        .extract()
                        .path("created");
                expected.addAll(created);
                replicas.forEach(OutboxRelay::wake);
            }
            try (EventStreamProbe stream = new EventStreamProbe()) {
                List<EventEnvelope> things = stream.await(
                        group, EventStreamProbe.ofType(EventType.THING_CREATED), 1500, Duration.ofSeconds(60));
                assertThat(things.stream().map(EventEnvelope::subject).toList()).containsExactlyElementsOf(expected);
                List<EventEnvelope> all = stream.all(group, Duration.ofSeconds(1));
                Set<String> ids = all.stream().map(EventEnvelope::id).collect(Collectors.toCollection(HashSet::new));
                assertThat(ids).as("no event published twice").hasSize(all.size());
                assertThat(all.stream().filter(e -> !e.type().equals(EventType.API_CALL)))
                        .hasSize(1 + 5 * 301);
            }
        } finally {
            replicas.forEach(OutboxRelay::stop);
        }
    }

    @Test
    void shouldSetAsideAnEventKafkaRefusesAndPublishEveryOtherEventExactlyOnce() {
        // Two groups of one shard, the too-large event among the first one's, and a group of another shard.
        UUID first = UUID.randomUUID();
        UUID neighbour = groupInShard(OutboxStore.shardOf(first));
        UUID elsewhere = groupInShard((OutboxStore.shardOf(first) + 1) % OutboxStore.SHARDS);
        // Larger than the producer takes: max-event-bytes (1,000,000) plus 16 KiB for the record around it.
        OutboxEvent tooLarge = probe(first, "x".repeat(1_100_000));
        List<OutboxEvent> firsts = List.of(
                probe(first, "before"), probe(first, "before"), tooLarge, probe(first, "after"), probe(first, "after"));
        List<OutboxEvent> neighbours = List.of(probe(neighbour, "same shard"), probe(neighbour, "same shard"));
        List<OutboxEvent> others = List.of(probe(elsewhere, "other shard"));
        long deadBefore = TestDatabase.scalar("SELECT count(*) FROM ingest.outbox_dead");
        double countedBefore = deadCounted();

        // One transaction, so that the relay finds them all in one batch per shard.
        pool.withTransaction(tx -> store.appendEvents(tx, first, firsts)
                        .chain(() -> store.appendEvents(tx, neighbour, neighbours))
                        .chain(() -> store.appendEvents(tx, elsewhere, others)))
                .await()
                .atMost(Duration.ofSeconds(10));
        relay.wake();

        for (UUID group : List.of(first, neighbour, elsewhere)) {
            awaitOutboxEmpty(group);
        }
        try (EventStreamProbe stream = new EventStreamProbe()) {
            stream.await(first, event -> true, 4, Duration.ofSeconds(30));
            stream.await(neighbour, event -> true, 2, Duration.ofSeconds(30));
            stream.await(elsewhere, event -> true, 1, Duration.ofSeconds(30));
            // once each, in the order written, after waiting a moment for a repeat that would show up late
            assertThat(published(stream.all(first, Duration.ofSeconds(2))))
                    .containsExactlyElementsOf(ids(firsts.get(0), firsts.get(1), firsts.get(3), firsts.get(4)));
            assertThat(published(stream.all(neighbour, Duration.ZERO))).containsExactlyElementsOf(ids(neighbours));
            assertThat(published(stream.all(elsewhere, Duration.ZERO))).containsExactlyElementsOf(ids(others));
        }
        List<List<Object>> dead = TestDatabase.rows(
                "SELECT event_id, group_id, reason FROM ingest.outbox_dead" + " WHERE group_id IN (?, ?, ?)",
                first,
                neighbour,
                elsewhere);
        assertThat(dead).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo(tooLarge.id());
            assertThat(row.get(1)).isEqualTo(first);
            assertThat((String) row.get(2))
                    .startsWith("RecordTooLargeException: ")
                    .contains("max.request.size")
                    .endsWith("(event of " + tooLarge.json().getBytes(StandardCharsets.UTF_8).length + " bytes)");
        });
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.outbox_dead"))
                .isEqualTo(deadBefore + 1);
        assertThat(deadCounted()).isEqualTo(countedBefore + 1);
        given().get("/q/health/well")
                .then()
                .statusCode(503)
                .body("checks.find { it.name.contains('outbox_dead') }.status", equalTo("DOWN"));
    }

    private double deadCounted() {
        return registry.find("strata.outbox.dead").tag("reason", "RecordTooLargeException").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private OutboxEvent probe(UUID group, String text) {
        return events.event("relay_probe", group, Instant.now(), null, Map.of("text", text));
    }

    private static UUID groupInShard(int shard) {
        UUID group;
        do {
            group = UUID.randomUUID();
        } while (OutboxStore.shardOf(group) != shard);
        return group;
    }

    private static List<String> published(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::id).toList();
    }

    private static List<String> ids(OutboxEvent... events) {
        return ids(List.of(events));
    }

    private static List<String> ids(List<OutboxEvent> events) {
        return events.stream().map(event -> event.id().toString()).toList();
    }

    @Test
    void shouldVacuumTheOutboxAfterPublishingSoManyRows() {
        // %test sets strata.outbox.vacuum-every to 500; autovacuum's own runs are counted apart (autovacuum_count)
        String vacuums =
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = 'ingest'" + " AND relname = 'outbox'";
        long before = TestDatabase.scalar(vacuums);
        UUID group = newGroup("enterprise");
        for (int batch = 0; batch < 3; batch++) {
            postThings(group, things(300, "vacuum " + batch)).statusCode(200);
        }
        awaitOutboxEmpty(group);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(TestDatabase.scalar(vacuums)).isGreaterThan(before));
    }

    private static String things(int n, String label) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"type\":\"user\",\"name\":\"" + label + " " + i + "\"}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }
}
