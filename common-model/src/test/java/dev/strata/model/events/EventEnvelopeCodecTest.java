package dev.strata.model.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeCodecTest {

    // A plain mapper, independent of the codec, to check what actually goes on the wire.
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static final UUID GROUP = UUID.fromString("0b5f3c1e-8d7a-4c2b-9e11-2f6a4d8c7b90");
    private static final Instant TIME = Instant.parse("2026-11-28T12:00:00.123Z");

    private static ObjectNode data() {
        ObjectNode data = PLAIN.createObjectNode();
        data.put("thingId", "t-42");
        data.put("name", "Intro to Strata");
        data.putObject("properties").put("durationSeconds", 600);
        return data;
    }

    private static EventEnvelope fullEnvelope() {
        return EventEnvelope.of("evt-1", "/strata/ingest-service", "thing_created", TIME, "t-42", GROUP, data());
    }

    /** A valid event as another producer would write it, for the parsing tests to break one attribute at a time. */
    private static ObjectNode validJson() {
        ObjectNode json = PLAIN.createObjectNode();
        json.put("specversion", "1.0");
        json.put("id", "evt-7");
        json.put("source", "/strata/ingest-service");
        json.put("type", "content_event");
        json.put("time", "2026-11-28T12:00:00.123Z");
        json.put("datacontenttype", "application/json");
        json.put("groupid", GROUP.toString());
        json.put("schemaversion", 1);
        json.putObject("data").put("action", "viewed");
        return json;
    }

    @Test
    void shouldRoundTripEnvelopeWithAllAttributes() {
        EventEnvelope original = fullEnvelope();

        EventEnvelope fromBytes = EventEnvelopeCodec.fromBytes(EventEnvelopeCodec.toBytes(original));
        EventEnvelope fromText = EventEnvelopeCodec.fromJson(EventEnvelopeCodec.toJson(original));

        for (EventEnvelope read : List.of(fromBytes, fromText)) {
            assertThat(read).isEqualTo(original);
            assertThat(read.specversion()).isEqualTo("1.0");
            assertThat(read.id()).isEqualTo("evt-1");
            assertThat(read.source()).isEqualTo("/strata/ingest-service");
            assertThat(read.type()).isEqualTo("thing_created");
            assertThat(read.time()).isEqualTo(TIME);
            assertThat(read.subject()).isEqualTo("t-42");
            assertThat(read.datacontenttype()).isEqualTo("application/json");
            assertThat(read.groupid()).isEqualTo("0b5f3c1e-8d7a-4c2b-9e11-2f6a4d8c7b90");
            assertThat(read.groupUuid()).isEqualTo(GROUP);
            assertThat(read.schemaversion()).isEqualTo(1);
            assertThat(read.data()).isEqualTo(data());
        }
    }

    @Test
    void shouldWriteExactlyTheCloudEventsAttributeNames() throws Exception {
        JsonNode tree = PLAIN.readTree(EventEnvelopeCodec.toBytes(fullEnvelope()));

        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "specversion",
                        "id",
                        "source",
                        "type",
                        "time",
                        "subject",
                        "datacontenttype",
                        "groupid",
                        "schemaversion",
                        "data");
        assertThat(tree.get("specversion").asText()).isEqualTo("1.0");
        assertThat(tree.get("id").asText()).isEqualTo("evt-1");
        assertThat(tree.get("source").asText()).isEqualTo("/strata/ingest-service");
        assertThat(tree.get("type").asText()).isEqualTo("thing_created");
        assertThat(tree.get("subject").asText()).isEqualTo("t-42");
        assertThat(tree.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(tree.get("groupid").asText()).isEqualTo("0b5f3c1e-8d7a-4c2b-9e11-2f6a4d8c7b90");
        assertThat(tree.get("schemaversion").isInt()).isTrue();
        assertThat(tree.get("schemaversion").asInt()).isEqualTo(1);
        assertThat(tree.get("data").get("properties").get("durationSeconds").asInt())
                .isEqualTo(600);
    }

    @Test
    void shouldWriteTimeAsRfc3339UtcStringWithMilliseconds() throws Exception {
        JsonNode tree = PLAIN.readTree(EventEnvelopeCodec.toJson(fullEnvelope()));

        assertThat(tree.get("time").isTextual()).isTrue();
        assertThat(tree.get("time").asText()).isEqualTo("2026-11-28T12:00:00.123Z");
        assertThat(EventEnvelopeCodec.fromJson(tree.toString()).time().toEpochMilli())
                .isEqualTo(1_795_867_200_123L);
    }

    @Test
    void shouldReadTimeWithNumericOffsetAsTheSameInstant() {
        ObjectNode json = validJson();
        json.put("time", "2026-11-28T13:00:00.123+01:00");

        assertThat(EventEnvelopeCodec.fromJson(json.toString()).time()).isEqualTo(TIME);
    }

    @Test
    void shouldOmitNullSubjectAndData() throws Exception {
        EventEnvelope envelope =
                EventEnvelope.of("evt-2", "/strata/quota-service", "quota_threshold_crossed", TIME, null, GROUP, null);

        JsonNode tree = PLAIN.readTree(EventEnvelopeCodec.toBytes(envelope));

        assertThat(tree.has("subject")).isFalse();
        assertThat(tree.has("data")).isFalse();
        EventEnvelope read = EventEnvelopeCodec.fromBytes(EventEnvelopeCodec.toBytes(envelope));
        assertThat(read.subject()).isNull();
        assertThat(read.data()).isNull();
    }

    @Test
    void shouldTreatExplicitNullDataAsAbsent() {
        ObjectNode json = validJson();
        json.putNull("data");

        assertThat(EventEnvelopeCodec.fromJson(json.toString()).data()).isNull();
    }

    @Test
    void shouldIgnoreUnknownExtensionAttributes() {
        ObjectNode json = validJson();
        json.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        json.put("partitionkey", "abc");
        json.putObject("comexampleothervalue").put("nested", true);

        EventEnvelope read = EventEnvelopeCodec.fromBytes(json.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(read.id()).isEqualTo("evt-7");
        assertThat(read.type()).isEqualTo("content_event");
        assertThat(read.groupid()).isEqualTo(GROUP.toString());
        assertThat(read.data().get("action").asText()).isEqualTo("viewed");
    }

    @Test
    void shouldDefaultDataContentTypeToJsonWhenAbsent() {
        ObjectNode json = validJson();
        json.remove("datacontenttype");

        assertThat(EventEnvelopeCodec.fromJson(json.toString()).datacontenttype())
                .isEqualTo("application/json");
    }

    @Test
    void shouldRejectMissingGroupId() {
        ObjectNode json = validJson();
        json.remove("groupid");

        assertRejected(json, "groupid");
    }

    @Test
    void shouldRejectBlankGroupId() {
        ObjectNode json = validJson();
        json.put("groupid", "  ");

        assertRejected(json, "groupid");
    }

    @Test
    void shouldRejectGroupIdThatIsNotAUuid() {
        ObjectNode json = validJson();
        json.put("groupid", "acme");

        assertRejected(json, "groupid");
    }

    @Test
    void shouldRejectMissingId() {
        ObjectNode json = validJson();
        json.remove("id");

        assertRejected(json, "id");
    }

    @Test
    void shouldRejectMissingType() {
        ObjectNode json = validJson();
        json.remove("type");

        assertRejected(json, "type");
    }

    @Test
    void shouldRejectBlankSource() {
        ObjectNode json = validJson();
        json.put("source", "");

        assertRejected(json, "source");
    }

    @Test
    void shouldRejectWrongSpecVersion() {
        ObjectNode json = validJson();
        json.put("specversion", "0.3");

        assertRejected(json, "specversion");
    }

    @Test
    void shouldRejectMissingSpecVersion() {
        ObjectNode json = validJson();
        json.remove("specversion");

        assertRejected(json, "specversion");
    }

    @Test
    void shouldRejectMissingTime() {
        ObjectNode json = validJson();
        json.remove("time");

        assertRejected(json, "time");
    }

    @Test
    void shouldRejectInputThatIsNotAJsonObject() {
        assertThatThrownBy(() -> EventEnvelopeCodec.fromJson("[1, 2]"))
                .isInstanceOf(InvalidEventException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed event");
        assertThatThrownBy(() -> EventEnvelopeCodec.fromBytes("{\"id\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void shouldRefuseToBuildAnEnvelopeThatBreaksTheContract() {
        assertThatThrownBy(
                        () -> EventEnvelope.of(" ", "/strata/ingest-service", "thing_created", TIME, null, GROUP, null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("id");
    }

    private static void assertRejected(ObjectNode json, String attribute) {
        assertThatThrownBy(() -> EventEnvelopeCodec.fromJson(json.toString()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(attribute + " ")
                .satisfies(
                        e -> assertThat(((InvalidEventException) e).attribute()).isEqualTo(attribute));
    }

    @Test
    void shouldWriteFromAPayloadObjectExactlyAsFromAnEnvelope() {
        UUID group = UUID.fromString("7d0f3e5a-1111-4c1c-9a55-0a5f3b2c9d01");
        Instant time = Instant.parse("2026-11-28T10:15:30.123456Z");
        var payload = new dev.strata.model.events.payload.BatchImported(
                UUID.fromString("01a22250-0000-7000-8000-000000000001"), "things", 3, 2, 1, null);
        String direct =
                EventEnvelopeCodec.toJson("e-1", "/strata/test", EventType.BATCH_IMPORT, time, "s-1", group, payload);
        String viaEnvelope = EventEnvelopeCodec.toJson(EventEnvelope.of(
                "e-1",
                "/strata/test",
                EventType.BATCH_IMPORT,
                time,
                "s-1",
                group,
                EventEnvelopeCodec.mapper().valueToTree(payload)));

        assertThat(direct).isEqualTo(viaEnvelope);
        EventEnvelope read = EventEnvelopeCodec.fromJson(direct);
        assertThat(read.data().get("total").asInt()).isEqualTo(3);
        assertThat(read.time()).isEqualTo(time);
    }

    @Test
    void shouldCountTheUtf8BytesOfTheEventAsWritten() {
        // control characters (escaped to 6 or 2 bytes), quotes, 2- and 3-byte characters, an emoji (a surrogate
        // pair: 4 bytes), unpaired surrogates (one '?' each when encoded), DEL (not escaped)
        List<String> texts = List.of(
                "",
                "plain",
                "\u0001\u0001\n\t\u001f",
                "\"quoted\" \\ slash /",
                "\u00e9t\u00e9 \u4e2d\u6587",
                "\ud83d\ude00 smile",
                "\ud83d alone",
                "alone \ude00",
                "end \ud83d",
                "\u007f\u2028",
                "\u0001".repeat(10_000));
        for (String text : texts) {
            var payload = java.util.Map.of("text", text);
            String json = EventEnvelopeCodec.toJson("e-1", "/strata/test", "t", TIME, "s-1", GROUP, payload);

            assertThat(EventEnvelopeCodec.utf8Size("e-1", "/strata/test", "t", TIME, "s-1", GROUP, payload))
                    .as(text.length() > 40 ? text.substring(0, 40) : text)
                    .isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
            assertThat(EventEnvelopeCodec.utf8Size(json)).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void shouldRefuseToWriteAnEventWithoutType() {
        assertThatThrownBy(() -> EventEnvelopeCodec.toJson(
                        "e-1", "/strata/test", " ", Instant.now(), null, UUID.randomUUID(), null))
                .isInstanceOf(InvalidEventException.class);
    }
}
