package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.output.ProgressMeter.Reading;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldGiveNoEtaBeforeTheRateHasSettled() {
        ProgressMeter meter = new ProgressMeter();
        meter.read(0, 0, 0);

        Reading early = meter.read(SECOND / 2, 10, 500);

        assertThat(early.eta()).isNull();
        assertThat(early.perSecond()).isEqualTo(1000.0);
    }

    @Test
    void shouldProjectTheEtaFromTheAverageSinceTheFirstReading() {
        ProgressMeter meter = new ProgressMeter();
        meter.read(0, 10, 100);

        // 30 points in 6 s: 5 points a second, 60 points to go -> 12 s; 3000 items in 6 s -> 500/s
        Reading reading = meter.read(6 * SECOND, 40, 3100);

        assertThat(reading.eta()).isEqualTo(Duration.ofSeconds(12));
        assertThat(reading.perSecond()).isEqualTo(500.0);
        assertThat(reading.elapsed()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void shouldGiveNoEtaWhileNothingMoves() {
        ProgressMeter meter = new ProgressMeter();
        meter.read(0, 20, 50);

        Reading stuck = meter.read(10 * SECOND, 20, 50);

        assertThat(stuck.eta()).isNull();
        assertThat(stuck.perSecond()).isZero();
    }

    @Test
    void shouldSayZeroEtaOnceDone() {
        ProgressMeter meter = new ProgressMeter();
        meter.read(0, 0, 0);

        assertThat(meter.read(SECOND / 10, 100, 10).eta()).isEqualTo(Duration.ZERO);
    }
}
