package dev.strata.ingest.api;

import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Opaque page cursors: the last id of a page (or, for lists in time order, its time and id), base64url-encoded so
 * clients do not build them.
 */
final class Cursors {

    private Cursors() {
    }

    static String encodeId(UUID id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static UUID decodeId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("The cursor is not one this service gave out.",
                    List.of(FieldError.of("cursor", "invalid")));
        }
    }

    /** A position in a list ordered by time, then id. */
    record TimeId(Instant time, UUID id) {
    }

    static String encodeTimeId(Instant time, UUID id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + "|" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static TimeId decodeTimeId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int bar = text.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException();
            }
            return new TimeId(Instant.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ProblemException.validation("The cursor is not one this service gave out.",
                    List.of(FieldError.of("cursor", "invalid")));
        }
    }

    static int pageSize(Integer requested, int fallback, int maximum) {
        if (requested == null) {
            return fallback;
        }
        if (requested < 1 || requested > maximum) {
            throw ProblemException.validation("limit must be between 1 and " + maximum + ".",
                    List.of(FieldError.of("limit", "must be between 1 and " + maximum)));
        }
        return requested;
    }
}
