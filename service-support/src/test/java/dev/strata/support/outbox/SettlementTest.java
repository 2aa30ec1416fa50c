package dev.strata.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.outbox.OutboxStore.Dead;
import dev.strata.support.outbox.OutboxStore.Pending;
import dev.strata.support.outbox.Settlement.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

class SettlementTest {

    private static final UUID A = UUID.fromString("0190f5a0-0000-7000-8000-00000000000a");
    private static final UUID B = UUID.fromString("0190f5a0-0000-7000-8000-00000000000b");

    private final List<Delivery> deliveries = new ArrayList<>();

    @Test
    void shouldPublishEveryRowKafkaTook() {
        taken(A);
        taken(B);
        taken(A);

        Settlement settled = Settlement.of(deliveries);

        assertThat(positions(settled.published())).containsExactly(1L, 2L, 3L);
        assertThat(settled.dead()).isEmpty();
        assertThat(settled.kept()).isZero();
        assertThat(settled.retry()).isNull();
        assertThat(settled.removed()).isEqualTo(3);
    }

    @Test
    void shouldSetAsideARefusedRowAndPublishItsNeighboursOnce() {
        taken(A);
        failed(
                A,
                1_600_000,
                new RecordTooLargeException("The message is 1600161 bytes when serialized which is"
                        + " larger than 1016384, the value of the max.request.size configuration."));
        taken(A);
        taken(B);

        Settlement settled = Settlement.of(deliveries);

        assertThat(positions(settled.published())).containsExactly(1L, 3L, 4L);
        assertThat(settled.dead()).singleElement().satisfies(dead -> {
            assertThat(dead.row().position()).isEqualTo(2L);
            assertThat(dead.kind()).isEqualTo("RecordTooLargeException");
            assertThat(dead.reason())
                    .isEqualTo("RecordTooLargeException: The message is 1600161 bytes when"
                            + " serialized which is larger than 1016384, the value of the max.request.size configuration."
                            + " (event of 1600000 bytes)");
        });
        assertThat(settled.kept()).isZero();
        assertThat(settled.retry()).isNull();
        assertThat(settled.removed()).isEqualTo(4);
    }

    @Test
    void shouldKeepAGroupsRowsFromItsFirstPassingFailureOnAndPublishTheOtherGroups() {
        TimeoutException outage = new TimeoutException("Expiration of 1 record(s) for strata.events-3");
        taken(A);
        failed(A, 100, outage);
        taken(B);
        taken(A); // Kafka took it, but an earlier event of its group must go first: sent again, in order
        failed(B, 100, new NotLeaderOrFollowerException("moving"));
        taken(A);

        Settlement settled = Settlement.of(deliveries);

        assertThat(positions(settled.published())).containsExactly(1L, 3L);
        assertThat(settled.kept()).isEqualTo(4);
        assertThat(settled.dead()).isEmpty();
        assertThat(settled.retry()).isSameAs(outage);
        assertThat(settled.removed()).isEqualTo(2);
    }

    @Test
    void shouldSetAsideARefusedRowEvenBehindAPassingFailureOfItsGroup() {
        failed(A, 100, new TimeoutException("down"));
        failed(A, 100, new CompletionException(new InvalidRecordException("invalid")));

        Settlement settled = Settlement.of(deliveries);

        assertThat(positions(settled.dead().stream().map(Dead::row).toList())).containsExactly(2L);
        assertThat(settled.kept()).isEqualTo(1);
    }

    @Test
    void shouldTakeOnlyFailuresOfTheRecordItselfAsRefusedForGood() {
        assertThat(Settlement.refusedForGood(new RecordTooLargeException("too large")))
                .isTrue();
        assertThat(Settlement.refusedForGood(new InvalidRecordException("invalid")))
                .isTrue();
        assertThat(Settlement.refusedForGood(new SerializationException("cannot")))
                .isTrue();

        assertThat(Settlement.refusedForGood(new TimeoutException("timeout"))).isFalse();
        assertThat(Settlement.refusedForGood(new NotLeaderOrFollowerException("retriable")))
                .isFalse();
        assertThat(Settlement.refusedForGood(new UnknownServerException("broker fault")))
                .isFalse();
        assertThat(Settlement.refusedForGood(new TopicAuthorizationException(Set.of("strata.events"))))
                .isFalse();
        // what the other records of a record batch get when the broker found one of them invalid
        assertThat(Settlement.refusedForGood(new KafkaException("Failed to append record because it was part of a"
                        + " batch which had one more more invalid records")))
                .isFalse();
        assertThat(Settlement.refusedForGood(new IllegalStateException("closed producer")))
                .isFalse();
    }

    @Test
    void shouldHoldAGroupOnlyForAFailureThatMayPass() {
        assertThat(Settlement.holdsGroup(null)).isFalse();
        assertThat(Settlement.holdsGroup(new CompletionException(new RecordTooLargeException("too large"))))
                .isFalse();
        assertThat(Settlement.holdsGroup(
                        new TimeoutException("Topic strata.events not present in metadata after" + " 10000 ms.")))
                .isTrue();
    }

    private void taken(UUID group) {
        deliveries.add(new Delivery(row(group), 100, null));
    }

    private void failed(UUID group, int bytes, Throwable failure) {
        deliveries.add(new Delivery(row(group), bytes, failure));
    }

    private Pending row(UUID group) {
        return new Pending(deliveries.size() + 1, group, UUID.randomUUID(), "{}");
    }

    private static List<Long> positions(List<Pending> rows) {
        return rows.stream().map(Pending::position).toList();
    }
}
