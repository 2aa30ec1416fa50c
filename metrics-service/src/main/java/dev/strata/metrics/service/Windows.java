package dev.strata.metrics.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The time windows of the statistics, all in UTC and all from one reading of the clock.
 *
 * <ul>
 * <li>this month: from the first day of the current calendar month, 00:00 UTC, to now;</li>
 * <li>this week: the last 7 days rolling, counted in whole UTC days: today and the 6 days before it, i.e. from
 *     00:00 UTC six days ago to now;</li>
 * <li>the week before: the 7 UTC days before that (13 to 7 days ago);</li>
 * <li>active: an activity event at or after now minus the active window (30 days by default), to the instant.</li>
 * </ul>
 */
public record Windows(
        Instant now,
        LocalDate today,
        LocalDate monthStart,
        LocalDate weekStart,
        LocalDate previousWeekStart,
        Instant activeSince) {

    public static Windows at(Clock clock, Duration activeWindow) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return new Windows(
                now, today, today.withDayOfMonth(1), today.minusDays(6), today.minusDays(13), now.minus(activeWindow));
    }

    public boolean inMonth(LocalDate day) {
        return !day.isBefore(monthStart) && !day.isAfter(today);
    }

    public boolean inWeek(LocalDate day) {
        return !day.isBefore(weekStart) && !day.isAfter(today);
    }

    public boolean inPreviousWeek(LocalDate day) {
        return !day.isBefore(previousWeekStart) && day.isBefore(weekStart);
    }

    /** The first day any of the day-based windows needs. */
    public LocalDate earliestDay() {
        return monthStart.isBefore(previousWeekStart) ? monthStart : previousWeekStart;
    }
}
