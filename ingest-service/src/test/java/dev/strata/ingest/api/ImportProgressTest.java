package dev.strata.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The progress bar's figures of an import job: share read, pace and time left, worked out by hand. */
class ImportProgressTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void shouldSayOneHundredPercentOnlyOnceTheJobSucceeded() {
        assertThat(ImportProgress.percent("succeeded", 5_000, 10_000)).isEqualTo(100.0);
        // 1,234 of 10,000 bytes: 12.34 %, cut to 12.3
        assertThat(ImportProgress.percent("running", 1_234, 10_000)).isEqualTo(12.3);
        // every byte read but the last chunk not committed yet: 99.9, not 100
        assertThat(ImportProgress.percent("running", 10_000, 10_000)).isEqualTo(99.9);
        // 999,999 of 1,000,000: 99.9999 %, cut to 99.9
        assertThat(ImportProgress.percent("failed", 999_999, 1_000_000)).isEqualTo(99.9);
        assertThat(ImportProgress.percent("queued", 0, 0)).isEqualTo(0.0);
    }

    @Test
    void shouldDivideTheItemsProcessedByTheSecondsFromStartToEndOrToNow() {
        // finished: 3,000 items in 4 s, whatever the time now
        assertThat(ImportProgress.itemsPerSecond(3_000, START, START.plusSeconds(4), START.plusSeconds(3_600)))
                .isEqualTo(750.0);
        // running: 10,000 items in the 3 s up to now, 3333.333... to 0.01
        assertThat(ImportProgress.itemsPerSecond(10_000, START, null, START.plusSeconds(3)))
                .isEqualTo(3333.33);
        // one item in a quarter of a second
        assertThat(ImportProgress.itemsPerSecond(1, START, null, START.plusMillis(250)))
                .isEqualTo(4.0);
        // running 5 s without a committed chunk yet
        assertThat(ImportProgress.itemsPerSecond(0, START, null, START.plusSeconds(5)))
                .isEqualTo(0.0);
        // handed back to the queue after 10 s with 2,000 items: still its pace up to now (20 s)
        assertThat(ImportProgress.itemsPerSecond(2_000, START, null, START.plusSeconds(20)))
                .isEqualTo(100.0);
    }

    @Test
    void shouldHaveNoPaceBeforeTheJobStartedOrWithoutTimeElapsed() {
        assertThat(ImportProgress.itemsPerSecond(0, null, null, START)).isNull();
        assertThat(ImportProgress.itemsPerSecond(500, START, START, START.plusSeconds(9)))
                .isNull();
        // this replica's clock a little behind the database's
        assertThat(ImportProgress.itemsPerSecond(500, START, null, START.minusMillis(20)))
                .isNull();
    }

    @Test
    void shouldExtrapolateTheTimeLeftFromTheTimeTakenAndTheShareRead() {
        // 25 % in 60 s: the other 75 % take 60 * 75 / 25 = 180 s
        assertThat(ImportProgress.etaSeconds("running", 25.0, START, null, START.plusSeconds(60)))
                .isEqualTo(180L);
        // 12.3 % in 60 s: 60 * 87.7 / 12.3 = 5262 / 12.3 = 427.80..., rounded to 428
        assertThat(ImportProgress.etaSeconds("running", 12.3, START, null, START.plusSeconds(60)))
                .isEqualTo(428L);
        // 99.9 % in 999 s: 999 * 0.1 / 99.9 = 1 s
        assertThat(ImportProgress.etaSeconds("running", 99.9, START, null, START.plusSeconds(999)))
                .isEqualTo(1L);
        // 80 % in 10 s: 10 * 20 / 80 = 2.5, rounded half up to 3
        assertThat(ImportProgress.etaSeconds("running", 80.0, START, null, START.plusSeconds(10)))
                .isEqualTo(3L);
    }

    @Test
    void shouldSayNoTimeLeftOnceFinishedAndNoEstimateWhenThereIsNothingToGoBy() {
        assertThat(ImportProgress.etaSeconds("succeeded", 100.0, START, START.plusSeconds(9), START.plusSeconds(99)))
                .isZero();
        assertThat(ImportProgress.etaSeconds("failed", 40.0, START, START.plusSeconds(9), START.plusSeconds(99)))
                .isZero();
        assertThat(ImportProgress.etaSeconds("queued", 0.0, null, null, START)).isNull();
        // handed back to the queue: not running, so no estimate
        assertThat(ImportProgress.etaSeconds("queued", 30.0, START, null, START.plusSeconds(60)))
                .isNull();
        // running, nothing read yet: nothing to extrapolate
        assertThat(ImportProgress.etaSeconds("running", 0.0, START, null, START.plusSeconds(60)))
                .isNull();
        // running, claimed this very moment (or this replica's clock behind the database's)
        assertThat(ImportProgress.etaSeconds("running", 10.0, START, null, START))
                .isNull();
    }
}
