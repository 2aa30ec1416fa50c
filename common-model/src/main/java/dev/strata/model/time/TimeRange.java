package dev.strata.model.time;

import java.time.Instant;

/**
 * The times Strata accepts wherever a client gives one (item fields, query parameters, cursors): years 0001 to
 * 9999 in UTC, to the microsecond. Every store and reader holds these alike: PostgreSQL's {@code timestamptz}
 * (whose range is wider but not the same in both directions), the four-digit years of the RFC 3339 archive that
 * outside tools read, and {@link Rfc3339}. A time outside is refused at the edge, never handed to the database.
 */
public final class TimeRange {

    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** How error messages name the range. */
    public static final String DESCRIPTION = "between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z";

    private TimeRange() {}

    public static boolean contains(Instant time) {
        return !time.isBefore(MIN) && !time.isAfter(MAX);
    }
}
