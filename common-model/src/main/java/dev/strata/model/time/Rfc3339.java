package dev.strata.model.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * RFC 3339 times in UTC, the form every Strata event and archive carries ({@code 2026-11-28T10:15:30.123456Z}),
 * written and read without a {@code DateTimeFormatter}: its parse context (a map per call) and printer were the
 * largest single cost of decoding an event in the consumers and of writing an archive line (measured with JFR).
 * Anything outside the plain UTC form is left to the caller's general parser.
 */
public final class Rfc3339 {

    /** {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    public static final int MAX_LENGTH = 30;

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    private Rfc3339() {}

    /**
     * Writes {@code instant} into {@code buffer} (at least {@link #MAX_LENGTH} long) exactly as
     * {@link Instant#toString()} does (seconds always, the fraction in groups of three digits only as far as needed)
     * and returns the length, or -1 for a year outside 0000-9999, which {@code toString} writes with a sign.
     */
    public static int format(Instant instant, char[] buffer) {
        long seconds = instant.getEpochSecond();
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
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
            int width = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            digits(buffer, at, nanos / POWERS[9 - width], width);
            at += width;
        }
        buffer[at++] = 'Z';
        return at;
    }

    /**
     * Reads {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} (upper-case {@code T} and {@code Z}, no leap second); returns null
     * for anything else, valid or not (an offset, lower case, a leap second, a malformed text), so that the caller
     * can hand it to the general parser, which accepts or refuses it as before.
     */
    public static Instant parse(CharSequence text) {
        int length = text.length();
        if (length < 20
                || length > MAX_LENGTH
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int digits = length - 21;
            if (text.charAt(19) != '.' || digits < 1) {
                return null;
            }
            int fraction = number(text, 20, digits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS[9 - digits];
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, from + width)}, or -1 unless it is all digits. */
    private static int number(CharSequence text, int from, int width) {
        int value = 0;
        for (int i = from; i < from + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] buffer, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            buffer[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
