package dev.strata.quota.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class RetentionWindowTest {

    @Test
    void shouldKeepTheCurrentUtcMonthAndTheOnesBefore() {
        RetentionWindow window = RetentionWindow.at(Instant.parse("2026-03-15T12:00:00Z"), 3);

        assertThat(window.firstKeptMonth()).isEqualTo(YearMonth.of(2026, 1));
        assertThat(window.firstKeptDay()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(window.firstKeptPeriod()).isEqualTo("2026-01");
    }

    @Test
    void shouldCountTheMonthInUtcAndCrossTheYear() {
        // 23:30 on 31 January in UTC is February elsewhere; the window goes by UTC
        RetentionWindow window = RetentionWindow.at(Instant.parse("2026-01-31T23:30:00Z"), 2);

        assertThat(window.firstKeptPeriod()).isEqualTo("2025-12");
    }

    @Test
    void shouldKeepOnlyOneMonthWhenAskedToKeepOne() {
        RetentionWindow window = RetentionWindow.at(Instant.parse("2026-03-01T00:00:00Z"), 1);

        assertThat(window.keeps(LocalDate.of(2026, 3, 1))).isTrue();
        assertThat(window.keeps(LocalDate.of(2026, 2, 28))).isFalse();
    }
}
