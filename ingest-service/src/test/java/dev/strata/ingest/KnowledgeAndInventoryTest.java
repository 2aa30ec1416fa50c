package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.postThings;
import static dev.strata.ingest.IngestClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventType;
import dev.strata.testing.EventStreamProbe;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class KnowledgeAndInventoryTest {

    private static EventStreamProbe stream;

    @BeforeAll
    static void openStream() {
        stream = new EventStreamProbe();
    }

    @AfterAll
    static void closeStream() {
        stream.close();
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void shouldStoreKnowledgeAndCountTextBytesPlusFourBytesPerDimension() {
        UUID group = newGroup("pro");
        String video = newThings(group, "video").get(0);
        String label = "Intro to Strata";
        String chunk = "Grüße aus Köln — naïve café ✓";
        var response = post(group, "knowledge:batch", """
                {"items": [
                  {"sourceThingId": "%1$s", "kind": "label", "text": "%2$s"},
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "%3$s", "embedding": [0.25, -1.5, 3e-3, 7]}
                ]}""".formatted(video, label, chunk))
                .statusCode(200)
                .body("created[0]", notNullValue())
                .body("created[1]", notNullValue())
                .body("summary.success", equalTo(2))
                .extract();
        String chunkId = response.path("created[1]");
        int chunkBytes = utf8(chunk); // 5 non-ASCII letters of 2 bytes, a dash and a check mark of 3
        assertThat(chunkBytes).isEqualTo(chunk.length() + 5 + 2 + 2);
        assertThat(TestDatabase.rows(
                        "SELECT kind, text, text_bytes, array_length(embedding, 1), embedding::text"
                                + " FROM ingest.knowledge WHERE id = ?::uuid",
                        chunkId))
                .containsExactly(List.of("chunk", chunk, chunkBytes, 4, "{0.25,-1.5,0.003,7}"));

        List<EventEnvelope> created =
                stream.await(group, EventStreamProbe.ofType(EventType.KNOWLEDGE_CREATED), 2, Duration.ofSeconds(30));
        assertThat(created)
                .extracting(e -> e.data().get("textBytes").asInt()
                        + 4 * e.data().get("embeddingDimensions").asInt())
                .containsExactly(utf8(label), chunkBytes + 4 * 4);
        assertThat(created.get(1).subject()).isEqualTo(chunkId);
        assertThat(created.get(1).data().get("sourceThingId").asText()).isEqualTo(video);
        assertThat(created.get(1).data().get("text").asText()).isEqualTo(chunk);
    }

    @Test
    void shouldReportInvalidKnowledgeItemsByIndexAndField() {
        UUID group = newGroup("pro");
        UUID other = newGroup("pro");
        String doc = newThings(group, "document").get(0);
        String foreign = newThings(other, "document").get(0);
        String tooLong = "é".repeat(131_073); // 262,146 bytes: two over the limit
        String tooManyDimensions = IntStream.range(0, 4097).mapToObj(i -> "0").collect(Collectors.joining(","));
        post(group, "knowledge:batch", """
                {"items": [
                  {"sourceThingId": "%1$s", "kind": "summary", "text": "x"},
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "   "},
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "%3$s"},
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "ok", "embedding": [1, "two"]},
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "ok", "embedding": [%4$s]},
                  {"sourceThingId": "%2$s", "kind": "label", "text": "ok"},
                  {"sourceThingId": "%1$s", "kind": "label", "text": "fine", "embedding": [1e39]},
                  {"sourceThingId": "%1$s", "kind": "label", "text": "fine"}
                ]}""".formatted(doc, foreign, tooLong, tooManyDimensions))
                .statusCode(200)
                .body("created[7]", notNullValue())
                .body("created[5]", nullValue())
                .body("errors.index", contains(0, 1, 2, 3, 4, 5, 6))
                .body(
                        "errors.field",
                        contains("kind", "text", "text", "embedding[1]", "embedding", "sourceThingId", "embedding[0]"))
                .body("errors[2].error", equalTo("larger than the limit of 262144 bytes (262146)"));
        assertThat(rows("knowledge", group)).isEqualTo(1);
        assertThat(rows("knowledge", other)).isZero();
    }

    @Test
    void shouldReportTheNulCharacterAsAnItemErrorRatherThanFailTheWholeBatch() {
        UUID group = newGroup("pro");
        // PostgreSQL text and jsonb cannot store U+0000; it must not reach the statement.
        postThings(group, """
                {"items": [{"type": "user", "name": "a\\u0000b"}, {"type": "user", "name": "ok",
                            "properties": {"k": "v\\u0000"}}, {"type": "user", "name": "fine"}]}""")
                .statusCode(200)
                .body("errors.field", contains("name", "properties.k"))
                .body(
                        "errors.error",
                        contains("must not contain the character U+0000", "must not contain the character U+0000"));
        String doc = newThings(group, "document").get(0);
        post(group, "knowledge:batch", """
                {"items": [{"sourceThingId": "%s", "kind": "chunk", "text": "x\\u0000y"}]}""".formatted(doc)).statusCode(422).body("errors[0].field", equalTo("text"));
        assertThat(rows("things", group)).isEqualTo(2);
    }

    @Test
    void shouldCountTheInventoryOfTheGroupOnly() {
        UUID group = newGroup("pro");
        UUID other = newGroup("pro");
        // Properties are stored as compact JSON: their bytes are those of the text below.
        String userProperties = "{\"handle\":\"ada\",\"age\":36}";
        String videoProperties = "{\"title\":\"Über\"}";
        List<String> ids = postThings(group, """
                {"items": [
                  {"type": "user", "name": "Ada", "properties": %s},
                  {"type": "creator", "name": "Grace"},
                  {"type": "video", "name": "Clip", "properties": %s},
                  {"type": "organization", "name": "Org"}
                ]}""".formatted(userProperties, videoProperties))
                .statusCode(200)
                .extract()
                .path("created");
        long propertyBytes = utf8(userProperties) + 2 + utf8(videoProperties) + 2; // "{}" for the two without
        post(group, "connections:batch", """
                {"items": [
                  {"fromThingId": "%1$s", "toThingId": "%2$s", "relationshipType": "following"},
                  {"fromThingId": "%2$s", "toThingId": "%3$s", "relationshipType": "authored"}
                ]}""".formatted(ids.get(0), ids.get(1), ids.get(2)))
                .statusCode(200);
        post(group, "knowledge:batch", """
                {"items": [
                  {"sourceThingId": "%1$s", "kind": "chunk", "text": "naïve", "embedding": [1, 2, 3]},
                  {"sourceThingId": "%1$s", "kind": "label", "text": "clip"}
                ]}""".formatted(ids.get(2))).statusCode(200);
        long knowledgeBytes = utf8("naïve") + 4 * 3 + utf8("clip");
        post(group, "events:batch", """
                {"items": [
                  {"type": "user_login", "actorId": "%1$s"},
                  {"type": "content_event", "actorId": "%1$s", "targetId": "%2$s", "metadata": {"action": "liked"}}
                ]}""".formatted(ids.get(0), ids.get(2))).statusCode(200);
        newThings(other, "user", "user"); // must not count

        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/groups/{g}/inventory", group)
                .then()
                .statusCode(200)
                .body("groupId", equalTo(group.toString()))
                .body("things", equalTo(4))
                .body("peopleLike", equalTo(2))
                .body("connections", equalTo(2))
                .body("knowledge", equalTo(2))
                .body("storageBytes", equalTo((int) (propertyBytes + knowledgeBytes)))
                // one batch entry for each of the four batches, and the two logged events
                .body("events", equalTo(6));

        given().auth()
                .oauth2(TestTokens.forTenants(other))
                .get("/groups/{g}/inventory", group)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/groups/{g}/inventory", UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    /** strata.events.max-event-bytes, by default. */
    private static final int MAX_EVENT_BYTES = 1_000_000;

    /**
     * The knowledge_created event of a chunk of {@code n} times U+0001, written out by hand: JSON escapes each as
     * the six characters {@code \u0001}; ids are UUIDs (36 characters) and times are kept to the microsecond (27
     * at most), so these placeholders make the longest such event.
     */
    private static int knowledgeEventBytes(int n) {
        String id = "00000000-0000-0000-0000-000000000000";
        String time = "2026-12-01T10:00:00.123456Z";
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/strata/ingest-service\","
                + "\"type\":\"knowledge_created\",\"time\":\"" + time + "\",\"subject\":\"" + id + "\","
                + "\"datacontenttype\":\"application/json\",\"groupid\":\"" + id + "\",\"schemaversion\":1,"
                + "\"data\":{\"id\":\"" + id + "\",\"sourceThingId\":\"" + id + "\",\"kind\":\"chunk\",\"text\":\""
                + "\\u0001".repeat(n) + "\",\"textBytes\":" + n + ",\"embeddingDimensions\":0,\"createdAt\":\""
                + time + "\",\"batchId\":\"" + id + "\"}}";
        return utf8(json);
    }

    /** The most U+0001 a chunk's text may hold for its event to stay within the limit. */
    private static int mostControlsFitting() {
        int n = (MAX_EVENT_BYTES - knowledgeEventBytes(0)) / 6;
        while (knowledgeEventBytes(n + 1) <= MAX_EVENT_BYTES) {
            n++;
        }
        while (knowledgeEventBytes(n) > MAX_EVENT_BYTES) {
            n--;
        }
        return n;
    }

    private static String controlChunk(String source, int n) {
        return "{\"sourceThingId\":\"" + source + "\",\"kind\":\"chunk\",\"text\":\"" + "\\u0001".repeat(n) + "\"}";
    }

    @Test
    void shouldRefuseAChunkWhoseEventPassesTheEventLimitAndPublishOneJustWithin() {
        UUID group = newGroup("enterprise");
        String source = newThings(group, "video").get(0);
        int fits = mostControlsFitting();
        int tooMany = fits + 1;
        // Both texts are far under the text limit (262,144 bytes) and both items under the item limit
        // (1,000,000 bytes as sent): only the event's size tells them apart.
        assertThat(utf8(controlChunk(source, tooMany))).isLessThan(1_000_000);

        String accepted = post(
                        group,
                        "knowledge:batch",
                        "{\"items\":[" + controlChunk(source, tooMany) + "," + controlChunk(source, fits) + "]}")
                .statusCode(200)
                .body("created[0]", nullValue())
                .body("created[1]", notNullValue())
                .body("errors.size()", equalTo(1))
                .body("errors[0].index", equalTo(0))
                .body("errors[0].field", equalTo("text"))
                .body(
                        "errors[0].error",
                        equalTo("makes an event of " + knowledgeEventBytes(tooMany)
                                + " bytes, larger than the limit of 1000000 bytes (strata.events.max-event-bytes; JSON"
                                + " writes a control character as 6 bytes)"))
                .extract()
                .path("created[1]");

        assertThat(TestDatabase.rows("SELECT id::text, text_bytes FROM ingest.knowledge WHERE group_id = ?", group))
                .containsExactly(List.of(accepted, fits));
        List<EventEnvelope> published =
                stream.await(group, EventStreamProbe.ofType(EventType.KNOWLEDGE_CREATED), 1, Duration.ofSeconds(30));
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.subject()).isEqualTo(accepted);
            assertThat(event.data().get("text").asText()).hasSize(fits);
        });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rows("outbox", group)).isZero());
        assertThat(rows("outbox_dead", group)).isZero();
    }

    @Test
    void shouldRefuseTheChunkOfTheReportedBugWithoutWritingAnything() {
        // 262,000 times U+0001: within the text limit (262,144 bytes), 1,572,000 bytes as JSON. Sent as JSON it
        // is as large as its event, so the item limit (1,000,000 bytes as sent) refuses it before it is parsed.
        UUID group = newGroup("enterprise");
        String source = newThings(group, "video").get(0);

        post(group, "knowledge:batch", "{\"items\":[" + controlChunk(source, 262_000) + "]}")
                .statusCode(422)
                .body("type", equalTo("https://strata.dev/problems/validation-failed"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].index", equalTo(0))
                .body("errors[0].field", equalTo("$"))
                .body("errors[0].error", equalTo("larger than the limit of 1000000 bytes"));

        assertThat(rows("knowledge", group)).isZero();
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = ?",
                        group,
                        EventType.BATCH_IMPORT))
                .isEqualTo(1); // the thing's batch only
    }
}
