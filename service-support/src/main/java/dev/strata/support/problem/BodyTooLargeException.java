package dev.strata.support.problem;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;

/**
 * A request body passed its limit while it was being read. Unchecked, so that code which turns a failed read (an
 * {@code IOException}) into a 400 of its own lets it through; where a JSON binder wraps it, {@link ProblemMapper}
 * finds it in the cause chain. It is answered with 413, and the connection closes, so nothing more is read.
 */
public class BodyTooLargeException extends RuntimeException {

    private final transient Problem problem;

    public BodyTooLargeException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    /** A body that passed {@code maximum} while arriving (its full size is not known). */
    public static BodyTooLargeException whileReading(long maximum, String property) {
        return new BodyTooLargeException(
                problem("The body is larger than the limit of " + maximum + " bytes.", maximum, property));
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

    /** The refusal behind a failure, if one is in its cause chain. */
    public static BodyTooLargeException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
