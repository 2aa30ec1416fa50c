package dev.strata.support.api;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.model.time.TimeRange;
import dev.strata.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Opaque keyset cursors of the list endpoints and their page sizes. A cursor is the last row's key fields joined
 * by '|' and base64url-encoded, so clients pass it back rather than build it. Decoding checks every field: a
 * cursor that does not decode, has the wrong fields, or carries a time outside {@link TimeRange} is the client's
 * malformed request (400), never handed to the database.
 */
public final class PageCursors {

    private static final int MAX_CURSOR_LENGTH = 512;

    private PageCursors() {}

    public static String encode(Object... fields) {
        StringBuilder text = new StringBuilder();
        for (Object field : fields) {
            text.append(text.length() == 0 ? "" : "|").append(field);
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor's fields, exactly {@code count} of them; null when no cursor was given. */
    public static String[] decode(String cursor, int count) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > MAX_CURSOR_LENGTH) {
                throw invalid();
            }
            String[] fields =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split("\\|", -1);
            if (fields.length != count) {
                throw invalid();
            }
            return fields;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** A cursor field that must be a UUID. */
    public static UUID uuid(String field) {
        if (field.length() != 36) {
            throw invalid();
        }
        try {
            return UUID.fromString(field);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** A cursor field that must be a time within {@link TimeRange}. */
    public static Instant time(String field) {
        try {
            Instant time = Instant.parse(field);
            if (TimeRange.contains(time)) {
                return time;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid();
    }

    public static ProblemException invalid() {
        return new ProblemException(
                Problem.of(ProblemType.MALFORMED_REQUEST, "The cursor is not one this service gave out.")
                        .withErrors(List.of(FieldError.of("cursor", "invalid"))));
    }

    /** The page size asked for ({@code limit}), from 1 to {@code maximum}; {@code fallback} when none. */
    public static int pageSize(String requested, int fallback, int maximum) {
        return (int) PathIds.wholeNumber(requested, "limit", 1, maximum, fallback);
    }
}
