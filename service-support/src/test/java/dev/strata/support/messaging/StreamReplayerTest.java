package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamReplayerTest {

    @Test
    void shouldLeaveOutWhatTheLiveConsumerSetAside() {
        StreamRecord kept = record(0, 1, 10);
        StreamRecord setAside = record(0, 2, 10);
        StreamRecord otherPartition = record(1, 2, 10);

        assertThat(StreamReplayer.readable(List.of(kept, setAside, otherPartition), Set.of("events-0@2"), 100))
                .containsExactly(kept, otherPartition);
    }

    @Test
    void shouldLeaveOutRecordsLargerThanTheConsumerReads() {
        StreamRecord atLimit = record(0, 1, 100);
        StreamRecord tooLarge = record(0, 2, 101);

        assertThat(StreamReplayer.readable(List.of(atLimit, tooLarge), Set.of(), 100))
                .containsExactly(atLimit);
    }

    private static StreamRecord record(int partition, long offset, int bytes) {
        return new StreamRecord("events", partition, offset, "k", Instant.EPOCH, new byte[bytes]);
    }
}
