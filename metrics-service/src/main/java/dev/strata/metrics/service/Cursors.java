package dev.strata.metrics.service;

import dev.strata.metrics.store.GraphReadStore.ConnectionCursor;
import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Opaque keyset cursors: the last row of a page (its time, id and direction), base64url-encoded so clients pass
 * them back rather than build them. A cursor stays valid however many rows are added meanwhile.
 */
public final class Cursors {

    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");

    private Cursors() {
    }

    public static String encode(ConnectionCursor cursor) {
        String text = cursor.createdAt() + "|" + cursor.id() + "|" + cursor.direction();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    public static ConnectionCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split("\\|");
            if (parts.length != 3 || !DIRECTIONS.contains(parts[2])) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new ConnectionCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]), parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ProblemException.validation("The cursor is not one this service gave out.",
                    List.of(FieldError.of("cursor", "invalid")));
        }
    }

    public static int pageSize(Integer requested, int fallback, int maximum) {
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
