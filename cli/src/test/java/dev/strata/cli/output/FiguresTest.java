package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void shouldWriteDurationsPreciseWhenShortAndCoarseWhenLong() {
        assertThat(Figures.duration(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Figures.duration(Duration.ofMillis(4_249))).isEqualTo("4.2s");
        assertThat(Figures.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(Figures.duration(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(Figures.duration(Duration.ofMinutes(127))).isEqualTo("2h07m");
        assertThat(Figures.duration(Duration.ofSeconds(-3))).isEqualTo("0ms");
    }

    @Test
    void shouldBoundPercentagesToZeroAndAHundred() {
        assertThat(Figures.percent(45.25)).isEqualTo("45.3%");
        assertThat(Figures.percent(120)).isEqualTo("100.0%");
        assertThat(Figures.percent(-1)).isEqualTo("0.0%");
    }

    @Test
    void shouldWriteRatesWithADecimalOnlyBelowAHundred() {
        assertThat(Figures.rate(1234.6)).isEqualTo("1235");
        assertThat(Figures.rate(12.34)).isEqualTo("12.3");
        assertThat(Figures.rate(Double.NaN)).isEqualTo("0");
    }

    @Test
    void shouldWriteBytesInKibibytesBelowOneMebibyte() {
        assertThat(Figures.bytes(512)).isEqualTo("0.5 KiB");
        assertThat(Figures.bytes(3L * 1024 * 1024 + 512 * 1024)).isEqualTo("3.5 MiB");
    }
}
