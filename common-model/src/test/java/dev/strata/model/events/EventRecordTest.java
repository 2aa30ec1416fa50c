package dev.strata.model.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.events.payload.ThingCreated;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader against the envelope's own binding: whatever {@link EventEnvelopeCodec#fromBytes} reads,
 * {@link EventEnvelopeCodec#read} reads the same; whatever it refuses, naming an attribute, the reader refuses
 * naming the same one.
 */
class EventRecordTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String GROUP = "0b5f3c1e-8d7a-4c2b-9e11-2f6a4d8c7b90";

    private static ObjectNode event() {
        ObjectNode json = PLAIN.createObjectNode();
        json.put("specversion", "1.0");
        json.put("id", "evt-7");
        json.put("source", "/strata/ingest-service");
        json.put("type", "thing_created");
        json.put("time", "2026-11-28T12:00:00.123456Z");
        json.put("subject", "01a2-thing");
        json.put("datacontenttype", "application/json");
        json.put("groupid", GROUP);
        json.put("schemaversion", 1);
        ObjectNode data = json.putObject("data");
        data.put("id", "01a223d5-0eb6-723d-85fa-bc25931f7c88");
        data.put("type", "video");
        data.put("name", "Intro \"to\" Strata \u00e9\u6f22");
        data.put("status", "active");
        data.putObject("properties").put("n", 7).putArray("tags").add("a").add("{not json}");
        data.put("propertiesBytes", 33);
        data.put("createdAt", "2026-11-28T11:59:59Z");
        return json;
    }

    private static Map<String, Consumer<ObjectNode>> readableVariants() {
        Map<String, Consumer<ObjectNode>> variants = new LinkedHashMap<>();
        variants.put("as written", json -> {});
        variants.put("no subject, no data", json -> json.remove(java.util.List.of("subject", "data")));
        variants.put("data null", json -> json.putNull("data"));
        variants.put(
                "data an array",
                json -> json.putArray("data").add(1).addObject().put("k", "v"));
        variants.put("data a string", json -> json.put("data", "plain \\ text"));
        variants.put("data a number", json -> json.put("data", 12.5));
        variants.put("data first", json -> {
            ObjectNode copy = json.deepCopy();
            json.removeAll();
            json.set("data", copy.get("data"));
            copy.remove("data");
            json.setAll(copy);
        });
        variants.put("time with an offset", json -> json.put("time", "2026-11-28T13:00:00.5+01:00"));
        variants.put("time without fraction", json -> json.put("time", "2026-11-28T12:00:00Z"));
        variants.put("no datacontenttype", json -> json.remove("datacontenttype"));
        variants.put("unknown extensions", json -> {
            json.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            json.putObject("comexample")
                    .putArray("nested")
                    .add(true)
                    .addObject()
                    .put("data", "not this one");
        });
        variants.put("schemaversion as text", json -> json.put("schemaversion", "2"));
        return variants;
    }

    @Test
    void shouldReadWhatTheEnvelopeBindingReads() {
        readableVariants().forEach((name, change) -> {
            ObjectNode json = event();
            change.accept(json);
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);

            EventEnvelope expected = EventEnvelopeCodec.fromBytes(bytes);
            EventRecord record = EventEnvelopeCodec.read(bytes);

            assertThat(record.envelope()).as(name).isEqualTo(expected);
            assertThat(record.data()).as(name).isEqualTo(expected.data());
            assertThat(record.hasData()).as(name).isEqualTo(expected.data() != null);
            assertThat(record.dataIsObject())
                    .as(name)
                    .isEqualTo(expected.data() != null && expected.data().isObject());
            assertThat(record.groupUuid()).as(name).isEqualTo(expected.groupUuid());
        });
    }

    @Test
    void shouldReadPrettyPrintedEventsToo() throws Exception {
        byte[] bytes = PLAIN.writerWithDefaultPrettyPrinter().writeValueAsBytes(event());

        assertThat(EventEnvelopeCodec.read(bytes).envelope()).isEqualTo(EventEnvelopeCodec.fromBytes(bytes));
    }

    @Test
    void shouldBindDataFromItsBytesAsFromTheTree() throws Exception {
        byte[] bytes = event().toString().getBytes(StandardCharsets.UTF_8);
        ObjectReader reader = EventEnvelopeCodec.mapper()
                .readerFor(ThingCreated.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        ThingCreated fromBytes = EventEnvelopeCodec.read(bytes).data(reader);
        ThingCreated fromTree =
                reader.readValue(EventEnvelopeCodec.fromBytes(bytes).data());

        assertThat(fromBytes).isEqualTo(fromTree);
        assertThat(fromBytes.name()).isEqualTo("Intro \"to\" Strata \u00e9\u6f22");
        assertThat(fromBytes.properties().toString()).isEqualTo("{\"n\":7,\"tags\":[\"a\",\"{not json}\"]}");
    }

    @Test
    void shouldRefuseWhatTheEnvelopeBindingRefusesNamingTheSameAttribute() {
        Map<String, Consumer<ObjectNode>> broken = new LinkedHashMap<>();
        broken.put("groupid", json -> json.remove("groupid"));
        broken.put("groupid blank", json -> json.put("groupid", " "));
        broken.put("groupid not a uuid", json -> json.put("groupid", "acme"));
        broken.put("id", json -> json.remove("id"));
        broken.put("type", json -> json.remove("type"));
        broken.put("source blank", json -> json.put("source", ""));
        broken.put("specversion", json -> json.put("specversion", "0.3"));
        broken.put("specversion missing", json -> json.remove("specversion"));
        broken.put("time missing", json -> json.remove("time"));
        broken.put("time malformed", json -> json.put("time", "yesterday"));
        broken.put("schemaversion zero", json -> json.put("schemaversion", 0));
        broken.put("subject an object", json -> json.putObject("subject").put("id", 1));
        broken.forEach((name, change) -> {
            ObjectNode json = event();
            change.accept(json);
            byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);

            InvalidEventException expected =
                    catchThrowableOfType(InvalidEventException.class, () -> EventEnvelopeCodec.fromBytes(bytes));
            InvalidEventException actual =
                    catchThrowableOfType(InvalidEventException.class, () -> EventEnvelopeCodec.read(bytes));

            assertThat(expected).as(name).isNotNull();
            assertThat(actual).as(name).isNotNull();
            assertThat(actual.attribute()).as(name).isEqualTo(expected.attribute());
        });
    }

    @Test
    void shouldRefuseInputThatIsNotOneJsonObject() {
        for (String text : new String[] {
            "[1, 2]",
            "\"event\"",
            "{\"id\":",
            "{\"id\": \"e\"} {}",
            "{\"data\": {]}",
            "",
            "{\"specversion\": \"1.0\", \"data\": {\"a\": 1}"
        }) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> EventEnvelopeCodec.fromBytes(bytes))
                    .as(text)
                    .isInstanceOf(InvalidEventException.class);
            assertThatThrownBy(() -> EventEnvelopeCodec.read(bytes))
                    .as(text)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("malformed event");
        }
        assertThatThrownBy(() -> EventEnvelopeCodec.read(null)).isInstanceOf(InvalidEventException.class);
    }
}
