package dev.strata.support.problem;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;

import java.io.IOException;

/**
 * A request body passed its limit while it was being read. An {@link IOException}, so that it leaves JSON parsers
 * and stream copies as what it is rather than wrapped as a parse error; {@link ProblemMapper} answers it with 413
 * and closes the connection, so nothing more of the body is read.
 */
public class BodyTooLargeException extends IOException {

    private final transient Problem problem;

    public BodyTooLargeException(Problem problem) {
        super(problem.detail(), null);
        this.problem = problem;
    }

    /** A body that passed {@code maximum} while arriving (its full size is not known). */
    public static BodyTooLargeException whileReading(long maximum, String property) {
        return new BodyTooLargeException(problem("The body is larger than the limit of " + maximum + " bytes.",
                maximum, property));
    }

    /** The problem for a body whose Content-Length already says it is too large. */
    public static Problem declared(long bytes, long maximum, String property) {
        return problem("The body has " + bytes + " bytes; the limit is " + maximum + ".", maximum, property);
    }

    private static Problem problem(String detail, long maximum, String property) {
        return Problem.of(ProblemType.PAYLOAD_TOO_LARGE, detail)
                .withExtension("limit", property)
                .withExtension("maximum", maximum);
    }

    public Problem problem() {
        return problem;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected refusal, not a failure to trace
    }
}
