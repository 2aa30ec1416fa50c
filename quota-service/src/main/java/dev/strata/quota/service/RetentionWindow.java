package dev.strata.quota.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The periods quota-service keeps: the current UTC month and the {@code keepMonths - 1} before it, for monthly
 * counters and the daily history alike. {@link RetentionJob} removes what falls before it, and the consumer never
 * records there, so an event dated long ago (a back-filled call) cannot bring back a period the job removed.
 */
public record RetentionWindow(YearMonth firstKeptMonth) {

    public static RetentionWindow at(Instant now, int keepMonths) {
        return new RetentionWindow(YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(keepMonths - 1L));
    }

    /** The first day of the history kept. */
    public LocalDate firstKeptDay() {
        return firstKeptMonth.atDay(1);
    }

    /** The first monthly period kept, as counters name periods ({@code YYYY-MM}). */
    public String firstKeptPeriod() {
        return firstKeptMonth.toString();
    }

    public boolean keeps(LocalDate day) {
        return !day.isBefore(firstKeptDay());
    }
}
