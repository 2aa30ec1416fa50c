package dev.strata.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevenueConverterTest {

    private static final RevenueConverter USD_WITH_EUR_AT_1_10 =
            new RevenueConverter("USD", Map.of("EUR", new BigDecimal("1.10")));

    @Test
    void shouldConvertCurrenciesWithARateAndLeaveTheOthersOut() {
        RevenueFigures figures = USD_WITH_EUR_AT_1_10.convert(
                Map.of("USD", new BigDecimal("10.00"), "EUR", new BigDecimal("5.00"), "GBP", new BigDecimal("3.00")));

        // 10.00 USD + 5.00 EUR x 1.10 = 10.00 + 5.50; the 3.00 GBP have no rate.
        assertThat(figures.converted()).isEqualTo(new BigDecimal("15.50"));
        assertThat(figures.byCurrency())
                .containsExactly(
                        Map.entry("EUR", new BigDecimal("5.00")),
                        Map.entry("GBP", new BigDecimal("3.00")),
                        Map.entry("USD", new BigDecimal("10.00")));
        assertThat(figures.unconverted()).containsExactly("GBP");
    }

    @Test
    void shouldRoundTheConvertedFigureToTwoDecimalsHalfUp() {
        // 9.99 EUR x 1.10 = 10.989; 0.005 USD alone would be 0.01.
        assertThat(USD_WITH_EUR_AT_1_10
                        .convert(Map.of("EUR", new BigDecimal("9.99")))
                        .converted())
                .isEqualTo(new BigDecimal("10.99"));
        assertThat(USD_WITH_EUR_AT_1_10
                        .convert(Map.of("USD", new BigDecimal("0.005")))
                        .converted())
                .isEqualTo(new BigDecimal("0.01"));
    }

    @Test
    void shouldCountTheReportingCurrencyAtOneWithoutARate() {
        RevenueConverter eur = new RevenueConverter("EUR", Map.of("USD", new BigDecimal("0.90")));

        // 4.00 EUR as they are, 10.00 USD x 0.90 = 9.00.
        RevenueFigures figures = eur.convert(Map.of("EUR", new BigDecimal("4.00"), "USD", new BigDecimal("10.00")));

        assertThat(figures.converted()).isEqualTo(new BigDecimal("13.00"));
        assertThat(figures.unconverted()).isEmpty();
    }

    @Test
    void shouldAnswerZeroAndNoCurrenciesWithoutRevenue() {
        RevenueFigures figures = USD_WITH_EUR_AT_1_10.convert(Map.of());

        assertThat(figures.converted()).isEqualTo(new BigDecimal("0.00"));
        assertThat(figures.byCurrency()).isEmpty();
        assertThat(figures.unconverted()).isEqualTo(List.of());
    }
}
