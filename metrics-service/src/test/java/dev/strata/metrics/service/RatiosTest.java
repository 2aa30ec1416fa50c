package dev.strata.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RatiosTest {

    @Test
    void shouldRoundToTwoDecimalsHalfUp() {
        assertThat(Ratios.ratio(2, 3)).isEqualTo(new BigDecimal("0.67"));
        assertThat(Ratios.ratio(1, 8)).isEqualTo(new BigDecimal("0.13")); // 0.125 rounds up
        assertThat(Ratios.ratio(new BigDecimal("10.005"), 1)).isEqualTo(new BigDecimal("10.01"));
        assertThat(Ratios.ratio(10, 4)).isEqualTo(new BigDecimal("2.50"));
    }

    @Test
    void shouldAnswerZeroWhereThereIsNothingToDivideBy() {
        assertThat(Ratios.ratio(5, 0)).isEqualTo(new BigDecimal("0.00"));
        assertThat(Ratios.ratio(new BigDecimal("7.5"), BigDecimal.ZERO)).isEqualTo(new BigDecimal("0.00"));
    }
}
