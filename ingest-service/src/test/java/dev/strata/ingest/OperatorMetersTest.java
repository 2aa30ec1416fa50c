package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.outbox.OutboxRelay;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The meters an operator's dashboard reads from ingest-service: rows written by kind, counted once committed and
 * never for a replay or a refused batch; the outbox's backlog and relay lag, read by a scheduled job.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class OperatorMetersTest {

    @Inject
    MeterRegistry registry;

    @Inject
    OutboxRelay relay;

    @Test
    void shouldCountCommittedRowsByKindButNeitherReplaysNorRefusedBatches() {
        UUID group = newGroup("enterprise");
        String token = dev.strata.testing.TestTokens.forTenants(group);
        double things = rows("things");
        String body = "{\"items\":[{\"type\":\"creator\",\"name\":\"a\"},{\"type\":\"user\",\"name\":\"b\"},"
                + "{\"type\":\"video\",\"name\":\"c\"}]}";
        for (int send = 0; send < 2; send++) { // the second is answered from its Idempotency-Key
            given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .header("Idempotency-Key", "meters-1")
                    .body(body)
                    .post("/groups/{g}/things:batch", group)
                    .then()
                    .statusCode(200);
        }
        post(
                        group,
                        "things:batch",
                        "{\"items\":[{\"type\":\"user\",\"name\":\"ok\"},{\"type\":\"nope\",\"name\":\"x\"}],"
                                + "\"options\":{\"atomic\":true}}")
                .statusCode(422);
        assertThat(rows("things") - things).isEqualTo(3);

        List<String> ids = newThings(group, "creator", "user", "video");
        double connections = rows("connections");
        String connection = "{\"fromThingId\":\"" + ids.get(1) + "\",\"toThingId\":\"" + ids.get(0)
                + "\",\"relationshipType\":\"following\"}";
        post(group, "connections:batch", "{\"items\":[" + connection + "]}").statusCode(200);
        // the same connection again: reported as a duplicate, not written
        post(
                        group,
                        "connections:batch",
                        "{\"items\":[" + connection + ",{\"fromThingId\":\"" + ids.get(0) + "\",\"toThingId\":\""
                                + ids.get(2) + "\",\"relationshipType\":\"authored\"}]}")
                .statusCode(200);
        assertThat(rows("connections") - connections).isEqualTo(2);

        double events = rows("events");
        String event =
                "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"user_login\",\"actorId\":\"" + ids.get(1) + "\"}";
        post(
                        group,
                        "events:batch",
                        "{\"items\":[" + event + ",{\"type\":\"user_login\",\"actorId\":\"" + ids.get(1) + "\"}]}")
                .statusCode(200);
        post(group, "events:batch", "{\"items\":[" + event + "]}").statusCode(200); // a re-send: a duplicate
        assertThat(rows("events") - events).isEqualTo(2);

        double knowledge = rows("knowledge");
        post(
                        group,
                        "knowledge:batch",
                        "{\"items\":[{\"sourceThingId\":\"" + ids.get(0)
                                + "\",\"kind\":\"label\",\"text\":\"bio\"},{\"sourceThingId\":\"" + UUID.randomUUID()
                                + "\",\"kind\":\"label\",\"text\":\"nobody's\"}]}")
                .statusCode(200);
        assertThat(rows("knowledge") - knowledge).isEqualTo(1);
    }

    @Test
    void shouldShowTheBacklogAndTheAgeOfItsOldestRowWhileTheRelayIsStopped() {
        UUID group = newGroup("enterprise");
        relay.stop();
        try {
            newThings(group, "user", "user", "user");
            long waiting = TestDatabase.scalar("SELECT count(*) FROM ingest.outbox");
            assertThat(waiting).isGreaterThanOrEqualTo(4); // three thing_created and the batch_import
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(gauge("strata.outbox.backlog")).isGreaterThanOrEqualTo(waiting);
                assertThat(gauge("strata.outbox.lag")).isGreaterThan(0);
            });
        } finally {
            relay.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(gauge("strata.outbox.backlog")).isZero();
            assertThat(gauge("strata.outbox.lag")).isZero();
            assertThat(gauge("strata.outbox.set.aside")).isNotNaN();
        });
    }

    private double rows(String kind) {
        return registry.get("strata.ingest.rows").tag("kind", kind).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
