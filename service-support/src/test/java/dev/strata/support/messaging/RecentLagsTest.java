package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.messaging.RecentLags.Summary;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentLagsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldReadNearestRankPercentilesOverEveryKeptBatch() {
        RecentLags lags = new RecentLags(10);
        lags.add(T0, new long[] {40, 10, 30});
        lags.add(T0.plusSeconds(1), new long[] {20, 50, 60, 70, 80, 90, 100});

        Summary summary = lags.since(null);

        // sorted: 10 20 30 40 50 60 70 80 90 100; p50 is rank ceil(0.5*10)=5, p99 rank ceil(9.9)=10, p1 rank 1
        assertThat(summary.events()).isEqualTo(10);
        assertThat(summary.batches()).isEqualTo(2);
        assertThat(summary.percentile(50)).isEqualTo(50);
        assertThat(summary.percentile(99)).isEqualTo(100);
        assertThat(summary.percentile(1)).isEqualTo(10);
        assertThat(summary.max()).isEqualTo(100);
        assertThat(summary.firstCommittedAt()).isEqualTo(T0);
        assertThat(summary.lastCommittedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void shouldDropTheOldestBatchBeyondWhatItKeeps() {
        RecentLags lags = new RecentLags(2);
        lags.add(T0, new long[] {1000});
        lags.add(T0.plusSeconds(1), new long[] {5});
        lags.add(T0.plusSeconds(2), new long[] {7});

        Summary summary = lags.since(null);

        assertThat(summary.batches()).isEqualTo(2);
        assertThat(summary.max()).isEqualTo(7);
    }

    @Test
    void shouldCountOnlyBatchesCommittedAtOrAfterSince() {
        RecentLags lags = new RecentLags(10);
        lags.add(T0, new long[] {1000});
        lags.add(T0.plusSeconds(5), new long[] {3, 4});

        Summary summary = lags.since(T0.plusSeconds(5));

        assertThat(summary.batches()).isEqualTo(1);
        assertThat(summary.max()).isEqualTo(4);
    }

    @Test
    void shouldHaveNoPercentilesWithoutLags() {
        RecentLags lags = new RecentLags(10);
        lags.add(T0, new long[0]); // a batch with nothing measured is not kept

        Summary summary = lags.since(null);

        assertThat(summary.batches()).isZero();
        assertThat(summary.percentile(50)).isNull();
        assertThat(summary.max()).isNull();
    }
}
