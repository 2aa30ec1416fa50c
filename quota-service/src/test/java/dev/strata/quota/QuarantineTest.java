package dev.strata.quota;

import static dev.strata.quota.QuotaApi.asAdmin;
import static dev.strata.quota.QuotaApi.counter;
import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaEvents.apiCalls;
import static dev.strata.quota.QuotaEvents.event;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import dev.strata.model.events.EventType;
import dev.strata.model.events.Topics;
import dev.strata.testing.DeadLetterProbe;
import dev.strata.testing.DeadLetterProbe.DeadLetter;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records that can never be applied are quarantined one by one (rejected_events and the dead-letter topic), and
 * the records around them in the same partition are still counted: the consumer never stops for one tenant's
 * bad record. Limits of the test profile: strata.stream.max-record-bytes = 262144.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuarantineTest {

    private static final int MAX_RECORD_BYTES = 262_144;
    /** Events are dated in a month of their own: the test's reads are metered as api calls of the real month. */
    private static final Instant NOW = Instant.parse("2031-01-15T12:00:00Z");

    private static final String MONTH = "2031-01";

    @Inject
    TestClock clock;

    @BeforeEach
    void setClock() {
        clock.set(NOW);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static byte[] bytes(EventEnvelope event) {
        return EventEnvelopeCodec.toBytes(event);
    }

    @Test
    void shouldQuarantineEveryKindOfPoisonAndCountTheEventsAroundIt() {
        UUID group = UUID.randomUUID();
        byte[] undecodable = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, '{'};
        byte[] overflowing = bytes(apiCalls(group, Long.MAX_VALUE, TestClock.now()));
        byte[] wrongPayload = bytes(event(EventType.THING_CREATED, group, TestClock.now(), "not an object"));
        EventEnvelope big = event(
                EventType.THING_CREATED,
                group,
                TestClock.now(),
                Map.of(
                        "id",
                        UUID.randomUUID(),
                        "type",
                        "user",
                        "name",
                        "big",
                        "propertiesBytes",
                        10,
                        "properties",
                        Map.of("blob", "x".repeat(MAX_RECORD_BYTES))));
        byte[] oversize = bytes(big);
        assertThat(oversize.length).isGreaterThan(MAX_RECORD_BYTES);

        QuotaEvents.sendBytes(
                group,
                List.of(
                        bytes(groupCreated(group, "pro")),
                        bytes(apiCalls(group, 5, TestClock.now())),
                        bytes(thingCreated(group, "user", 10)),
                        undecodable,
                        overflowing,
                        wrongPayload,
                        oversize,
                        bytes(apiCalls(group, 3, TestClock.now())),
                        bytes(thingCreated(group, "user", 10))));

        // 5 + 3 calls and two users: everything but the four poison records, before and after them
        eventually(() -> quotas(group).statusCode(200).body("quotas.users.current", equalTo(2)));
        eventually(
                () -> assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(8));
        eventually(() -> assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM quota.rejected_events WHERE record_key = ?", group.toString()))
                .isEqualTo(4));

        List<List<Object>> rejected = TestDatabase.rows("""
                SELECT kafka_offset, kind, reason, octet_length(record) FROM quota.rejected_events
                WHERE record_key = ? ORDER BY kafka_offset""", group.toString());
        assertThat(rejected)
                .extracting(row -> row.get(1))
                .containsExactly("unreadable", "value-out-of-range", "contract", "too-large");
        assertThat(rejected)
                .extracting(row -> ((Number) row.get(3)).intValue())
                .containsExactly(undecodable.length, overflowing.length, wrongPayload.length, oversize.length);
        assertThat((String) rejected.get(1).get(2)).contains("22003");
        assertThat((String) rejected.get(3).get(2)).contains(Integer.toString(oversize.length));
        long firstOffset = ((Number) rejected.get(0).get(0)).longValue();
        assertThat(rejected)
                .extracting(row -> ((Number) row.get(0)).longValue())
                .containsExactly(firstOffset, firstOffset + 1, firstOffset + 2, firstOffset + 3);

        try (DeadLetterProbe probe = new DeadLetterProbe()) {
            List<DeadLetter> letters = probe.await(group.toString(), 4, Duration.ofSeconds(30));
            Map<String, String> kindByOffset = letters.stream()
                    .collect(Collectors.toMap(
                            l -> l.headers().get("dead-letter-offset"),
                            l -> l.headers().get("dead-letter-kind"),
                            (a, b) -> a));
            assertThat(kindByOffset)
                    .containsEntry(Long.toString(firstOffset), "unreadable")
                    .containsEntry(Long.toString(firstOffset + 1), "value-out-of-range")
                    .containsEntry(Long.toString(firstOffset + 2), "contract")
                    .containsEntry(Long.toString(firstOffset + 3), "too-large");
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.headers())
                        .containsEntry("dead-letter-topic", Topics.EVENTS)
                        .containsEntry("dead-letter-consumer", "quota-service")
                        .containsKey("dead-letter-partition")
                        .containsKey("dead-letter-reason");
            });
            assertThat(letters)
                    .filteredOn(l -> l.headers().get("dead-letter-offset").equals(Long.toString(firstOffset)))
                    .first()
                    .extracting(DeadLetter::value)
                    .isEqualTo(undecodable);
        }

        asAdmin()
                .get("/admin/stream-consumer/quarantine?limit=1000")
                .then()
                .statusCode(200)
                .body("offset", hasItem((int) firstOffset + 1));
        asAdmin()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'event-stream-quarantine' }.status", equalTo("UP"));
    }

    @Test
    void shouldReapplyAQuarantinedRecordOnceAndRefuseOneThatStillFails() {
        UUID group = UUID.randomUUID();
        byte[] seven = bytes(apiCalls(group, 7, TestClock.now()));
        QuotaEvents.sendBytes(
                group,
                List.of(
                        bytes(groupCreated(group, "pro")),
                        seven,
                        bytes(apiCalls(group, Long.MAX_VALUE, TestClock.now()))));
        eventually(
                () -> assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(7));
        eventually(() -> assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM quota.rejected_events WHERE record_key = ?", group.toString()))
                .isEqualTo(1));
        long overflowOffset = TestDatabase.scalar(
                "SELECT kafka_offset FROM quota.rejected_events WHERE record_key = ?", group.toString());
        int partition = (int) TestDatabase.scalar(
                "SELECT kafka_partition FROM quota.rejected_events WHERE record_key = ?", group.toString());

        // Still no counter holds it: 422 with the reason, and it stays quarantined.
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", Topics.EVENTS, partition, overflowOffset)
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM quota.rejected_events WHERE record_key = ?" + " AND reapplied_at IS NULL",
                        group.toString()))
                .isEqualTo(1);

        // A record set aside by an older reader whose cause is gone: re-applied once, counted once.
        long fakeOffset = overflowOffset + 1_000_000;
        byte[] good = bytes(apiCalls(group, 4, TestClock.now()));
        TestDatabase.update("""
                INSERT INTO quota.rejected_events (topic, kafka_partition, kafka_offset, reason, kind, record_key, record)
                VALUES (?, ?, ?, 'an older reader could not read it', 'unreadable', ?, ?)""", Topics.EVENTS, partition, fakeOffset, group.toString(), good);
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", Topics.EVENTS, partition, fakeOffset)
                .then()
                .statusCode(200)
                .body("reappliedAt", org.hamcrest.Matchers.notNullValue());
        assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(11);
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", Topics.EVENTS, partition, fakeOffset)
                .then()
                .statusCode(409);
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", Topics.EVENTS, partition, fakeOffset + 1)
                .then()
                .statusCode(404);
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", "other.topic", partition, fakeOffset)
                .then()
                .statusCode(400);
        assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(11);

        // An event the stream applied already: the re-apply recognises its id and counts nothing.
        TestDatabase.update("""
                INSERT INTO quota.rejected_events (topic, kafka_partition, kafka_offset, reason, kind, record_key, record)
                VALUES (?, ?, ?, 'set aside twice', 'unreadable', ?, ?)""", Topics.EVENTS, partition, fakeOffset + 2, group.toString(), seven);
        asAdmin()
                .post("/admin/stream-consumer/quarantine/{t}/{p}/{o}/reapply", Topics.EVENTS, partition, fakeOffset + 2)
                .then()
                .statusCode(200);
        assertThat(counter(group, "api_calls_per_month", MONTH)).isEqualTo(11);
    }
}
