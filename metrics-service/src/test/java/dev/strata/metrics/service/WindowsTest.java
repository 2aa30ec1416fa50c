package dev.strata.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WindowsTest {

    // Wednesday 17 June 2026, 12:00 UTC (14:00 in Paris: the windows go by UTC whatever the clock's zone)
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-17T12:00:00Z"), ZoneId.of("Europe/Paris"));

    @Test
    void shouldStartTheMonthOnItsFirstUtcDayAndTheWeekSixDaysAgo() {
        Windows windows = Windows.at(CLOCK, Duration.ofDays(30));

        assertThat(windows.today()).isEqualTo(LocalDate.of(2026, 6, 17));
        assertThat(windows.monthStart()).isEqualTo(LocalDate.of(2026, 6, 1));
        assertThat(windows.weekStart()).isEqualTo(LocalDate.of(2026, 6, 11));
        assertThat(windows.previousWeekStart()).isEqualTo(LocalDate.of(2026, 6, 4));
        assertThat(windows.activeSince()).isEqualTo(Instant.parse("2026-05-18T12:00:00Z"));
    }

    @Test
    void shouldCountSevenWholeDaysInEachWeekAndNoneInBoth() {
        Windows windows = Windows.at(CLOCK, Duration.ofDays(30));

        assertThat(windows.inWeek(LocalDate.of(2026, 6, 11))).isTrue();
        assertThat(windows.inWeek(LocalDate.of(2026, 6, 17))).isTrue();
        assertThat(windows.inWeek(LocalDate.of(2026, 6, 10))).isFalse();
        assertThat(windows.inWeek(LocalDate.of(2026, 6, 18))).isFalse();
        assertThat(windows.inPreviousWeek(LocalDate.of(2026, 6, 10))).isTrue();
        assertThat(windows.inPreviousWeek(LocalDate.of(2026, 6, 4))).isTrue();
        assertThat(windows.inPreviousWeek(LocalDate.of(2026, 6, 3))).isFalse();
        assertThat(windows.inPreviousWeek(LocalDate.of(2026, 6, 11))).isFalse();
    }

    @Test
    void shouldCountTheMonthFromItsFirstDayToToday() {
        Windows windows = Windows.at(CLOCK, Duration.ofDays(30));

        assertThat(windows.inMonth(LocalDate.of(2026, 6, 1))).isTrue();
        assertThat(windows.inMonth(LocalDate.of(2026, 5, 31))).isFalse();
        assertThat(windows.inMonth(LocalDate.of(2026, 6, 18))).isFalse();
    }

    @Test
    void shouldReadFromTheEarlierOfTheMonthAndThePreviousWeek() {
        // mid-month the month starts first (1 June < 4 June); early in a month the previous week does
        assertThat(Windows.at(CLOCK, Duration.ofDays(30)).earliestDay()).isEqualTo(LocalDate.of(2026, 6, 1));
        Clock third = Clock.fixed(Instant.parse("2026-06-03T00:00:00Z"), ZoneId.of("UTC"));
        assertThat(Windows.at(third, Duration.ofDays(30)).earliestDay()).isEqualTo(LocalDate.of(2026, 5, 21));
    }
}
