package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.messaging.StreamLag.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamLagTest {

    @Test
    void shouldCountEveryRecordOfAPartitionNothingOfWhichWasApplied() {
        assertThat(new Position(0, null, 25).lag()).isEqualTo(25);
    }

    @Test
    void shouldSumTheRecordsBehindTheEndOverThePartitions() {
        List<Position> positions = List.of(
                new Position(0, 10L, 10), new Position(1, 7L, 12), new Position(2, null, 3), new Position(3, 0L, 0));

        assertThat(StreamLag.total(positions)).isEqualTo(0 + 5 + 3 + 0);
    }

    @Test
    void shouldNeverCountAPartitionAppliedBeyondItsEndAsNegative() {
        // a topic recreated under a consumer that kept its positions
        assertThat(new Position(0, 40L, 12).lag()).isZero();
        assertThat(StreamLag.total(List.of(new Position(0, 40L, 12), new Position(1, 0L, 4))))
                .isEqualTo(4);
    }
}
