package dev.strata.archival.service;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an instant exactly as {@link Instant#toString()} does (ISO-8601 in UTC, seconds always, the fraction in
 * groups of three digits only as far as needed), without going through a {@code DateTimeFormatter}: the archive
 * writes two per event, and the formatter was the largest single cost of writing an object.
 */
final class Rfc3339 {

    /** {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    static final int MAX_LENGTH = 30;

    private static final int SECONDS_PER_DAY = 86_400;

    private Rfc3339() {
    }

    /**
     * Writes {@code instant} into {@code buffer} (at least {@link #MAX_LENGTH} long) and returns the length, or -1
     * for a year outside 0000-9999, which {@link Instant#toString()} writes with a sign.
     */
    static int format(Instant instant, char[] buffer) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(days);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return -1;
        }
        digits(buffer, 0, year, 4);
        buffer[4] = '-';
        digits(buffer, 5, date.getMonthValue(), 2);
        buffer[7] = '-';
        digits(buffer, 8, date.getDayOfMonth(), 2);
        buffer[10] = 'T';
        digits(buffer, 11, secondOfDay / 3600, 2);
        buffer[13] = ':';
        digits(buffer, 14, secondOfDay / 60 % 60, 2);
        buffer[16] = ':';
        digits(buffer, 17, secondOfDay % 60, 2);
        int at = 19;
        int nanos = instant.getNano();
        if (nanos != 0) {
            buffer[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(buffer, at, nanos / 1_000_000, 3);
                at += 3;
            } else if (nanos % 1_000 == 0) {
                digits(buffer, at, nanos / 1_000, 6);
                at += 6;
            } else {
                digits(buffer, at, nanos, 9);
                at += 9;
            }
        }
        buffer[at++] = 'Z';
        return at;
    }

    private static void digits(char[] buffer, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            buffer[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
