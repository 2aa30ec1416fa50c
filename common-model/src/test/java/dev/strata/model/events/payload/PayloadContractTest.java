package dev.strata.model.events.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventRecord;
import dev.strata.model.events.EventType;
import dev.strata.model.events.InvalidEventException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event type with a fixed payload, written the way producers write it and read back the way consumers read
 * it, through {@link EventEnvelopeCodec}. The records are built by hand here, field by field.
 */
class PayloadContractTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final UUID GROUP = UUID.fromString("0190a8f2-7b3c-7d11-8a2e-5f6b7c8d9e01");
    private static final UUID THING = UUID.fromString("0190a8f2-7b3c-7d11-8a2e-5f6b7c8d9e02");
    private static final UUID OTHER_THING = UUID.fromString("0190a8f2-7b3c-7d11-8a2e-5f6b7c8d9e03");
    private static final UUID BATCH = UUID.fromString("0190a8f2-7b3c-7d11-8a2e-5f6b7c8d9e04");
    private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123456Z");
    private static final Instant LATER = Instant.parse("2026-11-28T11:00:00Z");

    static Stream<Arguments> fixedPayloads() {
        ObjectNode properties = NODES.objectNode().put("followers", 12).put("bio", "écrit des vidéos");
        Map<String, ThingUpdated.Change> changes = new LinkedHashMap<>();
        changes.put("name", new ThingUpdated.Change("Old name", "New name"));
        changes.put("properties", new ThingUpdated.Change(Map.of("followers", 11), Map.of("followers", 12)));
        Map<String, Long> countsByType = new LinkedHashMap<>();
        countsByType.put("user_login", 3L);
        countsByType.put("revenue_generated", 2L);
        return Stream.of(
                Arguments.of(
                        EventType.THING_CREATED,
                        new ThingCreated(THING, "creator", "Ada", "active", properties, 44, AT, BATCH)),
                Arguments.of(
                        EventType.THING_UPDATED, new ThingUpdated(THING, "creator", changes, 15, 14, LATER, BATCH)),
                Arguments.of(
                        EventType.CONNECTION_CREATED,
                        new ConnectionCreated(
                                BATCH,
                                THING,
                                "user",
                                OTHER_THING,
                                "creator",
                                "follows",
                                NODES.objectNode().put("since", "2020"),
                                0.75,
                                AT,
                                null,
                                AT,
                                BATCH)),
                Arguments.of(
                        EventType.KNOWLEDGE_CREATED,
                        new KnowledgeCreated(THING, OTHER_THING, "chunk", "hello", 5, 384, AT, BATCH)),
                Arguments.of(EventType.BATCH_IMPORT, new BatchImported(BATCH, "things", 10, 9, 1, null)),
                Arguments.of(EventType.GROUP_CREATED, new GroupChanged(GROUP, "Studio", "starter", null, AT)),
                Arguments.of(EventType.GROUP_PLAN_CHANGED, new GroupChanged(GROUP, "Studio", "pro", "starter", AT)),
                Arguments.of(EventType.API_CALL, ApiCallCounted.window(42, "/strata/ingest-service", AT, LATER)),
                Arguments.of(
                        EventType.API_CALL,
                        new ApiCallCounted(
                                null, null, null, null, NODES.objectNode().put("count", 3))),
                Arguments.of(
                        EventType.QUOTA_THRESHOLD_CROSSED,
                        new QuotaThresholdCrossed(
                                "storage_gb", 80, new BigDecimal("0.8"), new BigDecimal("1"), "total", "starter")),
                Arguments.of(
                        EventType.EVENTS_ARCHIVED,
                        new EventsArchived(
                                GROUP,
                                5,
                                countsByType,
                                Map.of("EUR", new BigDecimal("12.5")),
                                AT,
                                LATER,
                                "events/group=" + GROUP + "/date=2026-11-28/part-1-0.ndjson.gz",
                                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                LocalDate.of(2026, 11, 28),
                                BATCH)),
                Arguments.of(
                        EventType.REVENUE_GENERATED,
                        new ActivityRecorded(
                                THING,
                                OTHER_THING,
                                // a decimal reads back as BigDecimal, scale kept: money is never a double
                                NODES.objectNode()
                                        .put("amount", new java.math.BigDecimal("9.90"))
                                        .put("currency", "EUR"),
                                LATER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedPayloads")
    void shouldReadBackAnEqualRecordFromTheStreamBytes(String type, Object payload) {
        byte[] bytes = EventEnvelopeCodec.toJson("e-1", "/strata/test", type, AT, null, GROUP, payload)
                .getBytes(StandardCharsets.UTF_8);

        EventRecord event = EventEnvelopeCodec.read(bytes);

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.payload(payload.getClass())).isEqualTo(payload);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedPayloads")
    void shouldReadBackAnEqualRecordFromAParsedEnvelope(String type, Object payload) {
        EventEnvelope envelope = EventEnvelopeCodec.fromJson(
                EventEnvelopeCodec.toJson("e-1", "/strata/test", type, AT, null, GROUP, payload));

        assertThat(EventEnvelopeCodec.payload(envelope, payload.getClass())).isEqualTo(payload);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedPayloads")
    void shouldWriteTheSameEventThroughATreeAsStraightFromTheRecord(String type, Object payload) {
        JsonNode tree = EventEnvelopeCodec.mapper().valueToTree(payload); // as service-support's EventFactory.create

        assertThat(EventEnvelopeCodec.toJson(EventEnvelope.of("e-1", "/strata/test", type, AT, null, GROUP, tree)))
                .isEqualTo(EventEnvelopeCodec.toJson("e-1", "/strata/test", type, AT, null, GROUP, payload));
    }

    @Test
    void shouldWriteRoundDecimalsWithoutExponentThroughATree() {
        QuotaThresholdCrossed crossing = new QuotaThresholdCrossed(
                "api_calls_per_month", 100, new BigDecimal("1200"), new BigDecimal("1000"), "2030-10", "starter");
        EventsArchived archived = new EventsArchived(
                GROUP, 1, null, Map.of("EUR", new BigDecimal("100.00")), AT, AT, null, null, null, null);

        assertThat(EventEnvelopeCodec.mapper().valueToTree(crossing).toString())
                .isEqualTo("{\"metric\":\"api_calls_per_month\",\"threshold\":100,\"current\":1200,\"limit\":1000,"
                        + "\"period\":\"2030-10\",\"plan\":\"starter\"}");
        assertThat(EventEnvelopeCodec.mapper()
                        .valueToTree(archived)
                        .path("revenueByCurrency")
                        .toString())
                .isEqualTo("{\"EUR\":100.00}");
    }

    @Test
    void shouldWriteTheThresholdCrossingWithPlainNumbers() {
        QuotaThresholdCrossed crossing = new QuotaThresholdCrossed(
                "entities_total", 80, new BigDecimal("16"), new BigDecimal("20"), "total", "pro");

        EventEnvelope envelope = EventEnvelopeCodec.fromJson(EventEnvelopeCodec.toJson(
                "e-1", "/strata/quota-service", EventType.QUOTA_THRESHOLD_CROSSED, AT, null, GROUP, crossing));

        assertThat(envelope.data().toString())
                .isEqualTo("{\"metric\":\"entities_total\",\"threshold\":80,\"current\":16,\"limit\":20,"
                        + "\"period\":\"total\",\"plan\":\"pro\"}");
    }

    @Test
    void shouldIgnoreFieldsANewerProducerAdds() {
        EventRecord event = read(
                EventType.BATCH_IMPORT,
                "{\"batchId\":\"" + BATCH + "\",\"kind\":\"things\",\"total\":2,\"success\":2,\"failed\":0,"
                        + "\"shard\":7}");

        assertThat(event.payload(BatchImported.class)).isEqualTo(new BatchImported(BATCH, "things", 2, 2, 0, null));
    }

    static Stream<Arguments> brokenPayloads() {
        return Stream.of(
                Arguments.of(EventType.THING_CREATED, ThingCreated.class, "{\"type\":\"creator\",\"name\":\"no id\"}"),
                Arguments.of(
                        EventType.THING_CREATED,
                        ThingCreated.class,
                        "{\"id\":\"" + THING + "\",\"type\":null,\"name\":\"null type\"}"),
                Arguments.of(
                        EventType.THING_CREATED,
                        ThingCreated.class,
                        "{\"id\":\"not-a-uuid\",\"type\":\"creator\",\"name\":\"x\"}"),
                Arguments.of(EventType.THING_UPDATED, ThingUpdated.class, "{\"changes\":{}}"),
                Arguments.of(
                        EventType.THING_UPDATED,
                        ThingUpdated.class,
                        "{\"id\":\"" + THING + "\",\"updatedAt\":\"yesterday\"}"),
                Arguments.of(
                        EventType.CONNECTION_CREATED,
                        ConnectionCreated.class,
                        "{\"id\":\"" + BATCH + "\",\"fromThingId\":\"" + THING + "\",\"fromType\":\"user\","
                                + "\"toThingId\":\"" + OTHER_THING + "\",\"toType\":\"creator\"}"),
                Arguments.of(
                        EventType.KNOWLEDGE_CREATED,
                        KnowledgeCreated.class,
                        "{\"id\":\"" + THING + "\",\"sourceThingId\":\"" + OTHER_THING + "\",\"textBytes\":\"many\"}"),
                Arguments.of(EventType.BATCH_IMPORT, BatchImported.class, "{\"kind\":\"things\",\"total\":1}"),
                Arguments.of(EventType.GROUP_CREATED, GroupChanged.class, "{\"id\":\"" + GROUP + "\",\"name\":\"g\"}"),
                Arguments.of(EventType.GROUP_PLAN_CHANGED, GroupChanged.class, "{\"id\":[1],\"plan\":\"pro\"}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"count\":\"3\"}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"count\":1.5}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"count\":-1}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"count\":9223372036854775808}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"count\":true}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"metadata\":{\"count\":2.5}}"),
                Arguments.of(EventType.API_CALL, ApiCallCounted.class, "{\"metadata\":{\"count\":-4}}"),
                Arguments.of(
                        EventType.QUOTA_THRESHOLD_CROSSED,
                        QuotaThresholdCrossed.class,
                        "{\"metric\":\"users\",\"threshold\":80,\"current\":8,\"period\":\"total\",\"plan\":\"pro\"}"),
                Arguments.of(
                        EventType.QUOTA_THRESHOLD_CROSSED,
                        QuotaThresholdCrossed.class,
                        "{\"metric\":\"users\",\"threshold\":\"eighty\",\"current\":8,\"limit\":10,"
                                + "\"period\":\"total\",\"plan\":\"pro\"}"),
                Arguments.of(
                        EventType.EVENTS_ARCHIVED,
                        EventsArchived.class,
                        "{\"groupId\":\"" + GROUP + "\",\"count\":1,\"maxTime\":\"2026-11-28T10:00:00Z\"}"),
                Arguments.of(
                        EventType.EVENTS_ARCHIVED,
                        EventsArchived.class,
                        "{\"minTime\":\"2026-11-28T10:00:00Z\",\"maxTime\":\"2026-11-28T11:00:00Z\","
                                + "\"countsByType\":[\"user_login\"]}"),
                Arguments.of(EventType.USER_LOGIN, ActivityRecorded.class, "{\"actorId\":42}"),
                Arguments.of(EventType.THING_CREATED, ThingCreated.class, "[1,2]"),
                Arguments.of(EventType.THING_CREATED, ThingCreated.class, "\"thing\""),
                Arguments.of(EventType.THING_CREATED, ThingCreated.class, null));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("brokenPayloads")
    void shouldRefuseAPayloadThatMissesARequiredFieldOrHasAWrongType(String type, Class<?> record, String data) {
        EventRecord event = read(type, data);
        EventEnvelope envelope = event.envelope();

        assertThatThrownBy(() -> event.payload(record))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(
                        e -> assertThat(((InvalidEventException) e).attribute()).isEqualTo("data"));
        assertThatThrownBy(() -> EventEnvelopeCodec.payload(envelope, record))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(
                        e -> assertThat(((InvalidEventException) e).attribute()).isEqualTo("data"));
    }

    @Test
    void shouldNameTheMissingFieldAndTheRecord() {
        EventRecord event = read(EventType.THING_CREATED, "{\"type\":\"creator\",\"name\":\"no id\"}");

        assertThatThrownBy(() -> event.payload(ThingCreated.class))
                .hasMessageStartingWith("data of thing_created does not fit ThingCreated")
                .hasMessageContaining("'id'");
    }

    @Test
    void shouldCountTheMetersCountThenTheMetadataCountThenOne() {
        assertThat(new ApiCallCounted(7L, null, null, null, NODES.objectNode().put("count", 3)).calls())
                .isEqualTo(7);
        assertThat(new ApiCallCounted(null, null, null, null, NODES.objectNode().put("count", 3)).calls())
                .isEqualTo(3);
        assertThat(new ApiCallCounted(null, null, null, null, NODES.objectNode()).calls())
                .isEqualTo(1);
        assertThat(new ApiCallCounted(null, null, null, null, null).calls()).isEqualTo(1);
        assertThat(read(EventType.API_CALL, "{\"count\":9223372036854775807}")
                        .payload(ApiCallCounted.class)
                        .calls())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(read(EventType.API_CALL, "{\"count\":null,\"metadata\":{\"count\":null}}")
                        .payload(ApiCallCounted.class)
                        .calls())
                .isEqualTo(1);
    }

    @Test
    void shouldLeaveTheMetadataOfClientEventsFree() {
        JsonNode metadata = NODES.objectNode()
                .put("action", "liked")
                .set(
                        "tags",
                        NODES.arrayNode()
                                .add("a")
                                .add(NODES.objectNode().put("deep", List.of().size())));

        ActivityRecorded read = read(
                        EventType.CONTENT_EVENT,
                        "{\"actorId\":\"" + THING
                                + "\",\"metadata\":{\"action\":\"liked\",\"tags\":[\"a\",{\"deep\":0}]}}")
                .payload(ActivityRecorded.class);

        assertThat(read).isEqualTo(new ActivityRecorded(THING, null, metadata, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixedPayloads")
    void shouldBindThePayloadInTheEnvelopesPassAsItBindsFromTheBytesLater(String type, Object payload) {
        byte[] bytes = EventEnvelopeCodec.toJson("e-1", "/strata/test", type, AT, null, GROUP, payload)
                .getBytes(StandardCharsets.UTF_8);

        EventRecord onePass = EventEnvelopeCodec.read(bytes, t -> t.equals(type) ? payload.getClass() : null);
        EventRecord twoPasses = EventEnvelopeCodec.read(bytes);

        assertThat(onePass.payload(payload.getClass())).isEqualTo(payload);
        // bound once, while the envelope was read (a payload bound from the bytes later is a new object each time)
        assertThat(onePass.payload(payload.getClass())).isSameAs(onePass.payload(payload.getClass()));
        assertThat(twoPasses.payload(payload.getClass())).isNotSameAs(twoPasses.payload(payload.getClass()));
        assertThat(onePass.envelope()).isEqualTo(twoPasses.envelope()); // attributes and the data's place kept
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("brokenPayloads")
    void shouldReportAPayloadThatDoesNotFitOnlyWhenItIsAskedFor(String type, Class<?> record, String data) {
        EventRecord onePass = readBinding(type, data, record);

        assertThat(onePass.type()).isEqualTo(type);
        assertThatThrownBy(() -> onePass.payload(record))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(messageOf(() -> read(type, data).payload(record)));
    }

    @Test
    void shouldReadTheAttributesAfterABoundPayload() {
        String json = "{\"specversion\":\"1.0\",\"type\":\"" + EventType.BATCH_IMPORT + "\",\"data\":{\"batchId\":\""
                + BATCH + "\",\"kind\":\"things\",\"total\":2,\"success\":2,\"failed\":0},\"id\":\"e-9\","
                + "\"source\":\"/strata/test\",\"time\":\"2026-11-28T10:15:30Z\",\"groupid\":\"" + GROUP
                + "\",\"schemaversion\":1}";

        EventRecord event = EventEnvelopeCodec.read(json.getBytes(StandardCharsets.UTF_8), t -> BatchImported.class);

        assertThat(event.id()).isEqualTo("e-9");
        assertThat(event.groupUuid()).isEqualTo(GROUP);
        assertThat(event.payload(BatchImported.class)).isEqualTo(new BatchImported(BATCH, "things", 2, 2, 0, null));
    }

    @Test
    void shouldStillRefuseAnEnvelopeThatBreaksTheContractAfterABoundPayload() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/strata/test\",\"type\":\""
                + EventType.BATCH_IMPORT + "\",\"time\":\"2026-11-28T10:15:30Z\",\"groupid\":\"" + GROUP
                + "\",\"data\":{\"batchId\":\"" + BATCH + "\",\"kind\":\"things\",\"total\":1,\"success\":1,"
                + "\"failed\":0}}";
        byte[] trailing = (json + " {}").getBytes(StandardCharsets.UTF_8);
        byte[] unclosed = json.substring(0, json.length() - 1).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventEnvelopeCodec.read(trailing, t -> BatchImported.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(messageOf(() -> EventEnvelopeCodec.read(trailing)));
        assertThatThrownBy(() -> EventEnvelopeCodec.read(unclosed, t -> BatchImported.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(messageOf(() -> EventEnvelopeCodec.read(unclosed)));
    }

    private static String messageOf(Runnable failing) {
        try {
            failing.run();
        } catch (InvalidEventException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an InvalidEventException");
    }

    private static EventRecord readBinding(String type, String data, Class<?> record) {
        return EventEnvelopeCodec.read(envelopeJson(type, data), t -> record);
    }

    private static EventRecord read(String type, String data) {
        return EventEnvelopeCodec.read(envelopeJson(type, data));
    }

    private static byte[] envelopeJson(String type, String data) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/strata/test\",\"type\":\"" + type
                + "\",\"time\":\"2026-11-28T10:15:30Z\",\"groupid\":\"" + GROUP + "\",\"schemaversion\":1"
                + (data == null ? "" : ",\"data\":" + data) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
