package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.postThings;
import static dev.strata.ingest.IngestClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every kind of item whose event would pass {@code strata.events.max-event-bytes} is that item's error and is
 * written nowhere, in batches, import jobs and updates alike. The limit is lowered to 20,000 bytes here, and the
 * properties and metadata limits raised above it, so that items of a few kilobytes show it; an item's text of
 * {@code n} times U+0001 is {@code 6n} bytes in its event ({@code \u0001}).
 */
@QuarkusTest
@TestProfile(EventSizeLimitTest.SmallEvents.class)
@WithTestResource(StrataTestStack.class)
class EventSizeLimitTest {

    public static class SmallEvents implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strata.events.max-event-bytes",
                    "20000",
                    "strata.ingest.max-property-bytes",
                    "100000",
                    "strata.ingest.max-metadata-bytes",
                    "100000");
        }
    }

    private static final String TOO_LARGE = "larger than the limit of 20000 bytes (strata.events.max-event-bytes;"
            + " JSON writes a control character as 6 bytes)";

    /** A JSON object whose one text is {@code n} times U+0001: 6n + 8 bytes as the event writes it. */
    private static String controls(int n) {
        return "{\"t\":\"" + "\\u0001".repeat(n) + "\"}";
    }

    private static String thing(String name, int controls) {
        return "{\"type\":\"user\",\"name\":\"" + name + "\",\"properties\":" + controls(controls) + "}";
    }

    @Test
    void shouldRefuseAThingWhoseEventWouldPassTheLimitAndWriteTheOthers() {
        UUID group = newGroup("enterprise");
        // 4,000 controls: 24,008 bytes of properties alone. 3,000: 18,008, and the event stays under 20,000.
        postThings(
                        group,
                        "{\"items\":[" + thing("first", 0) + "," + thing("too large", 4_000) + ","
                                + thing("large", 3_000) + "]}")
                .statusCode(200)
                .body("created[0]", notNullValue())
                .body("created[1]", nullValue())
                .body("created[2]", notNullValue())
                .body("errors.size()", equalTo(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("properties"))
                .body("errors[0].error", endsWith(TOO_LARGE));

        assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY id", group))
                .containsExactly(List.of("first"), List.of("large"));
        awaitPublishedWithoutRefusal(group);
    }

    @Test
    void shouldWriteNothingOfAnAtomicBatchWithAThingWhoseEventWouldPassTheLimit() {
        UUID group = newGroup("enterprise");

        postThings(
                        group,
                        "{\"items\":[" + thing("first", 0) + "," + thing("too large", 4_000)
                                + "],\"options\":{\"atomic\":true}}")
                .statusCode(422)
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("properties"));

        assertThat(rows("things", group)).isZero();
        assertThat(rows("events", group)).isZero(); // no batch_import either
    }

    @Test
    void shouldCountAnImportLineWhoseEventWouldPassTheLimitAsFailed() {
        UUID group = newGroup("enterprise");
        String body = String.join("\n", thing("first", 0), thing("too large", 4_000), thing("last", 0)) + "\n";
        String job = given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.forTenants(group))
                        .get("/imports/{id}", job)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("succeeded"))
                        .body("created", equalTo(2))
                        .body("failed", equalTo(1))
                        .body("errors[0].index", equalTo(1))
                        .body("errors[0].field", equalTo("properties")));
        assertThat(TestDatabase.rows("SELECT name FROM ingest.things WHERE group_id = ? ORDER BY id", group))
                .containsExactly(List.of("first"), List.of("last"));
        awaitPublishedWithoutRefusal(group);
    }

    @Test
    void shouldRefuseConnectionsEventsAndKnowledgeWhoseEventsWouldPassTheLimit() {
        UUID group = newGroup("enterprise");
        List<String> ids = newThings(group, "user", "creator");
        String user = ids.get(0);
        String creator = ids.get(1);

        post(
                        group,
                        "connections:batch",
                        "{\"items\":["
                                + "{\"fromThingId\":\"" + user + "\",\"toThingId\":\"" + creator
                                + "\",\"relationshipType\":"
                                + "\"following\",\"metadata\":" + controls(4_000) + "},"
                                + "{\"fromThingId\":\"" + creator + "\",\"toThingId\":\"" + user
                                + "\",\"relationshipType\":"
                                + "\"following\",\"metadata\":" + controls(3_000) + "}]}")
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("errors[0].field", equalTo("metadata"))
                .body("errors[0].error", endsWith(TOO_LARGE));
        assertThat(rows("connections", group)).isEqualTo(1);

        post(
                        group,
                        "events:batch",
                        "{\"items\":["
                                + "{\"type\":\"user_login\",\"actorId\":\"" + user + "\",\"metadata\":"
                                + controls(3_000) + "},"
                                + "{\"type\":\"user_login\",\"actorId\":\"" + user + "\",\"metadata\":"
                                + controls(4_000) + "}]}")
                .statusCode(200)
                .body("created[0]", notNullValue())
                .body("created[1]", nullValue())
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("metadata"));
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = ?", group, "user_login"))
                .isEqualTo(1);

        post(
                        group,
                        "knowledge:batch",
                        "{\"items\":["
                                + "{\"sourceThingId\":\"" + creator + "\",\"kind\":\"chunk\",\"text\":\""
                                + "\\u0001".repeat(4_000)
                                + "\"},"
                                + "{\"sourceThingId\":\"" + creator + "\",\"kind\":\"chunk\",\"text\":\""
                                + "\\u0001".repeat(3_000)
                                + "\"}]}")
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("errors[0].field", equalTo("text"));
        assertThat(rows("knowledge", group)).isEqualTo(1);
        awaitPublishedWithoutRefusal(group);
    }

    @Test
    void shouldRefuseAnUpdateWhoseEventWithTheReplacedPropertiesWouldPassTheLimit() {
        UUID group = newGroup("enterprise");
        String id = postThings(group, "{\"items\":[" + thing("large", 2_000) + "]}")
                .statusCode(200)
                .extract()
                .path("created[0]");

        // thing_updated carries the properties it replaces and the new ones: 2 x 12,008 bytes
        patch(group, "{\"items\":[{\"id\":\"" + id + "\",\"properties\":{\"u\":\"" + "\\u0001".repeat(2_000) + "\"}}]}")
                .statusCode(422)
                .body("errors[0].index", equalTo(0))
                .body("errors[0].field", equalTo("properties"))
                .body("errors[0].error", endsWith(TOO_LARGE));
        assertThat(TestDatabase.scalar("SELECT properties_bytes FROM ingest.things WHERE id = ?::uuid", id))
                .isEqualTo(12_008L);

        patch(group, "{\"items\":[{\"id\":\"" + id + "\",\"properties\":{\"u\":\"small\"}}]}")
                .statusCode(200)
                .body("changed", equalTo(1));
        assertThat(TestDatabase.scalar("SELECT properties_bytes FROM ingest.things WHERE id = ?::uuid", id))
                .isEqualTo(13L);
        awaitPublishedWithoutRefusal(group);
    }

    private static ValidatableResponse patch(UUID group, String json) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/json")
                .body(json)
                .patch("/groups/{g}/things:batch", group)
                .then();
    }

    /** Whatever was written reaches the topic: the outbox drains and Kafka refused none of it. */
    private static void awaitPublishedWithoutRefusal(UUID group) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rows("outbox", group)).isZero());
        assertThat(rows("outbox_dead", group)).isZero();
    }
}
