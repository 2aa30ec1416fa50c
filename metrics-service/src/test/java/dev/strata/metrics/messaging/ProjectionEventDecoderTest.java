package dev.strata.metrics.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.store.Facts.Activity;
import dev.strata.metrics.store.Facts.ApiCalls;
import dev.strata.metrics.store.Facts.Fact;
import dev.strata.metrics.store.Facts.NewThing;
import dev.strata.metrics.store.Facts.Revenue;
import dev.strata.metrics.store.Facts.ThingChange;
import dev.strata.model.events.InvalidEventException;
import dev.strata.support.messaging.StreamRecord;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hand-written events (as they stand on the topic) to the facts the projections store. */
class ProjectionEventDecoderTest {

    private static final String GROUP = "0190c1f2-7a3b-7c4d-9e5f-000000000001";
    private static final String THING = "0190c1f2-7a3b-7c4d-9e5f-000000000002";
    private static final String ACTOR = "0190c1f2-7a3b-7c4d-9e5f-000000000003";
    private static final Instant PUBLISHED = Instant.parse("2026-06-17T12:00:01Z");

    private final ProjectionEventDecoder decoder = new ProjectionEventDecoder(new SmallRyeConfigBuilder()
            .withMapping(MetricsConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(MetricsConfig.class));

    @Test
    void shouldDecodeAThingCreatedIntoANewThingAndNoActivity() {
        List<Fact> facts = decode(event("thing_created", THING, """
                {"id": "%s", "type": "person", "name": "Ada", "status": "active",
                 "properties": {"handle": "@ada"}, "propertiesBytes": 17}""".formatted(THING)));

        assertThat(facts)
                .containsExactly(new NewThing(
                        UUID.fromString(GROUP),
                        UUID.fromString(THING),
                        "person",
                        "Ada",
                        "active",
                        "{\"handle\":\"@ada\"}",
                        17,
                        Instant.parse("2026-06-17T12:00:00Z")));
    }

    @Test
    void shouldKeepRevenueWithItsCurrency() {
        List<Fact> facts = decode(event("revenue_generated", null, """
                {"actorId": "%s", "metadata": {"amount": 12.50, "currency": "EUR"}}""".formatted(ACTOR)));

        assertThat(facts).hasSize(1);
        Activity activity = (Activity) facts.get(0);
        assertThat(activity.actorId()).isEqualTo(UUID.fromString(ACTOR));
        assertThat(activity.revenue()).isEqualTo(new Revenue("EUR", new BigDecimal("12.50")));
    }

    @Test
    void shouldRefuseRevenueWithoutACurrency() {
        StreamRecord record = event("revenue_generated", null, """
                {"actorId": "%s", "metadata": {"amount": 12.50}}""".formatted(ACTOR));

        assertThatThrownBy(() -> decoder.decode(record))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("currency");
    }

    @Test
    void shouldCountAMetersApiCallsAndRecordNoActivity() {
        List<Fact> facts = decode(event("api_call", null, """
                {"count": 42, "service": "ingest-service", "windowStart": "2026-06-17T11:59:00Z",
                 "windowEnd": "2026-06-17T12:00:00Z"}"""));

        assertThat(facts)
                .containsExactly(new ApiCalls(UUID.fromString(GROUP), Instant.parse("2026-06-17T12:00:00Z"), 42));
    }

    @Test
    void shouldTakeOnlyTheChangedFieldsOfAThingUpdate() {
        List<Fact> facts = decode(event("thing_updated", THING, """
                {"id": "%s", "changes": {"name": {"from": "Ada", "to": "Ada King"}},
                 "updatedAt": "2026-06-17T12:00:00.500Z"}""".formatted(THING)));

        assertThat(facts.get(0))
                .isEqualTo(new ThingChange(
                        UUID.fromString(GROUP),
                        UUID.fromString(THING),
                        "Ada King",
                        null,
                        null,
                        null,
                        Instant.parse("2026-06-17T12:00:00.500Z")));
    }

    @Test
    void shouldRefuseAThingCreatedWithoutItsId() {
        StreamRecord record = event("thing_created", null, """
                {"type": "person", "name": "Ada"}""");

        assertThatThrownBy(() -> decoder.decode(record)).isInstanceOf(InvalidEventException.class);
    }

    private List<Fact> decode(StreamRecord record) {
        ProjectionEventDecoder.Decoded decoded = decoder.decode(record);
        assertThat(decoded.groupId()).isEqualTo(UUID.fromString(GROUP));
        assertThat(decoded.publishedAt()).isEqualTo(PUBLISHED);
        return decoded.facts();
    }

    private static StreamRecord event(String type, String subject, String data) {
        String json = """
                {"specversion": "1.0", "id": "%s", "source": "/ingest-service", "type": "%s",
                 "time": "2026-06-17T12:00:00Z", %s"groupid": "%s", "schemaversion": 1, "data": %s}""".formatted(
                UUID.randomUUID(), type, subject == null ? "" : "\"subject\": \"" + subject + "\", ", GROUP, data);
        return new StreamRecord("strata.events", 0, 7, GROUP, PUBLISHED, json.getBytes(StandardCharsets.UTF_8));
    }
}
