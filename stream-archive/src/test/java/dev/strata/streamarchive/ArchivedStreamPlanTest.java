package dev.strata.streamarchive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ArchivedStreamPlanTest {

    private static final TopicPartition ARCHIVED = new TopicPartition("strata.events", 0);
    private static final TopicPartition WHOLE = new TopicPartition("strata.events", 1);

    @Test
    void shouldGoOnFromWhereTheArchiveEndsOrFromTheEndOffsetWhenThatComesFirst() {
        ArchivedStream.Plan plan = new ArchivedStream.Plan(
                new StreamLayout("stream", "strata.events"),
                Map.of(
                        ARCHIVED, new ArchivedStream.Part(0, 1_000, 1_000),
                        WHOLE, new ArchivedStream.Part(0, 0, 0)));
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
        consumer.assign(List.of(ARCHIVED, WHOLE));

        // The archive grew past the end offsets the rebuild took: what lies between must come from the topic.
        plan.seek(consumer, Map.of(ARCHIVED, 800L, WHOLE, 50L));
        assertThat(consumer.position(ARCHIVED)).isEqualTo(800);
        assertThat(consumer.position(WHOLE)).isZero();

        plan.seek(consumer, Map.of(ARCHIVED, 1_200L, WHOLE, 50L));
        assertThat(consumer.position(ARCHIVED)).isEqualTo(1_000);
        assertThat(plan.firstOffsets()).containsEntry(ARCHIVED, 0L).containsEntry(WHOLE, 0L);
        assertThat(plan.readsArchive()).isTrue();
    }
}
