package dev.strata.support.api;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.model.time.TimeRange;
import dev.strata.support.problem.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Parses ids from paths and query parameters, and times from query parameters. A malformed id is the caller's
 * mistake (400 naming the parameter), not a missing resource, which is why resources take ids as strings.
 */
public final class PathIds {

    private PathIds() {
    }

    public static UUID uuid(String value, String parameter) {
        if (value != null && value.length() == 36) {
            try {
                return UUID.fromString(value);
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        throw new ProblemException(Problem.of(ProblemType.MALFORMED_REQUEST,
                        "'" + parameter + "' must be a UUID.")
                .withErrors(List.of(FieldError.of(parameter, "must be a UUID"))));
    }

    public static UUID optionalUuid(String value, String parameter) {
        return value == null || value.isEmpty() ? null : uuid(value, parameter);
    }

    /**
     * An optional RFC 3339 time within {@link TimeRange}; a malformed one, or one outside the range, is a validation
     * problem naming the parameter (it never reaches the database).
     */
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
        throw ProblemException.validation("'" + parameter + "' must be an RFC 3339 UTC time "
                        + TimeRange.DESCRIPTION + ".",
                List.of(FieldError.of(parameter, "must be an RFC 3339 time such as 2024-01-31T00:00:00Z, "
                        + TimeRange.DESCRIPTION)));
    }
}
