package dev.strata.support.problem;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import java.util.List;

/** Thrown by resources and services to answer with a specific problem; {@link ProblemMapper} renders it. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ProblemException of(ProblemType type, String detail) {
        return new ProblemException(Problem.of(type, detail));
    }

    public static ProblemException validation(String detail, List<FieldError> errors) {
        return new ProblemException(
                Problem.of(ProblemType.VALIDATION_FAILED, detail).withErrors(errors));
    }

    public static ProblemException badRequest(String detail) {
        return of(ProblemType.MALFORMED_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return of(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException forbidden(String detail) {
        return of(ProblemType.FORBIDDEN, detail);
    }

    public Problem problem() {
        return problem;
    }
}
