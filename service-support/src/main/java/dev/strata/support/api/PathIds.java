package dev.strata.support.api;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.model.time.TimeRange;
import dev.strata.support.problem.ProblemException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Parses path and query parameters, which resources take as text: a malformed one is the caller's mistake in the
 * request's target (400 {@code malformed-request} naming the parameter), answered here, after authorization, and
 * never a missing resource or a value handed on unchecked. Request bodies are checked elsewhere (422 per item).
 */
public final class PathIds {

    private PathIds() {}

    public static UUID uuid(String value, String parameter) {
        if (value != null && value.length() == 36) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        throw invalid(parameter, "must be a UUID");
    }

    public static UUID optionalUuid(String value, String parameter) {
        return value == null || value.isEmpty() ? null : uuid(value, parameter);
    }

    /** An optional RFC 3339 time within {@link TimeRange}; never handed to the database otherwise. */
    public static Instant optionalInstant(String value, String parameter) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            Instant time = Instant.parse(value);
            if (TimeRange.contains(time)) {
                return time;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid(parameter, "must be an RFC 3339 time such as 2024-01-31T00:00:00Z, " + TimeRange.DESCRIPTION);
    }

    /** An optional whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    public static long wholeNumber(String value, String parameter, long min, long max, long fallback) {
        return value == null || value.isEmpty() ? fallback : wholeNumber(value, parameter, min, max);
    }

    /** A required whole number from {@code min} to {@code max}. */
    public static long wholeNumber(String value, String parameter, long min, long max) {
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(parameter, "must be a whole number from " + min + " to " + max);
    }

    /** An optional {@code true} or {@code false}; {@code fallback} when absent. */
    public static boolean flag(String value, String parameter, boolean fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(parameter, "must be true or false");
    }

    /** An optional value among {@code allowed}; {@code fallback} when absent. */
    public static String oneOf(String value, String parameter, Set<String> allowed, String fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (allowed.contains(value)) {
            return value;
        }
        throw invalid(
                parameter,
                "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }

    /** The 400 of a malformed parameter: what it must be, on the parameter's name. */
    public static ProblemException invalid(String parameter, String requirement) {
        return new ProblemException(
                Problem.of(ProblemType.MALFORMED_REQUEST, "'" + parameter + "' " + requirement + ".")
                        .withErrors(List.of(FieldError.of(parameter, requirement))));
    }
}
