package dev.strata.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.json.JsonLimits;
import dev.strata.support.json.NulCharacterException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every failure of reading a JSON body into a 400 problem that names the field where it knows one, and
 * never repeats Jackson's message (it carries class names and the input).
 */
public final class JsonProblems {

    private JsonProblems() {}

    public static Problem of(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        Throwable cause =
                e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException inner ? inner : e;
        if (cause instanceof StreamConstraintsException constraints) {
            return fieldProblem(
                    field,
                    "The body exceeds a JSON limit: " + constraint(constraints) + ".",
                    "exceeds " + constraint(constraints));
        }
        if (cause instanceof InputCoercionException coercion) {
            String expected = ProblemMapper.describe(coercion.getTargetType());
            return fieldProblem(
                    field,
                    (field.isEmpty() ? "A number" : "Field '" + field + "'") + " is out of range (must be " + expected
                            + ").",
                    "out of range for " + expected);
        }
        if (e instanceof NulCharacterException) {
            String where = field.isEmpty() ? "A string" : "Field '" + field + "'";
            return fieldProblem(field, where + " must not contain NUL characters.", "must not contain NUL characters");
        }
        if (e instanceof UnrecognizedPropertyException) {
            return Problem.of(ProblemType.MALFORMED_REQUEST, "Unknown field '" + field + "'.")
                    .withErrors(List.of(FieldError.of(field, "unknown field")));
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            Class<?> target = ((MismatchedInputException) e).getTargetType();
            String expected = target == null ? "another type" : ProblemMapper.describe(target);
            if (field.isEmpty()) {
                return Problem.of(
                                ProblemType.MALFORMED_REQUEST,
                                "The body does not have the expected shape (" + expected + ").")
                        .withErrors(List.of(FieldError.of("$", "must be " + expected)));
            }
            return fieldProblem(field, "Field '" + field + "' must be " + expected + ".", "must be " + expected);
        }
        if (!field.isEmpty()) {
            return fieldProblem(field, "Field '" + field + "' is not valid.", "not valid");
        }
        String where = e.getLocation() == null || e instanceof JsonMappingException
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return Problem.of(ProblemType.MALFORMED_REQUEST, "The body is not valid JSON" + where + ".");
    }

    /** The Jackson failure behind an exception, if any: REST's JSON reader wraps most of them in a 400. */
    public static JsonProcessingException jsonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return json;
            }
        }
        return null;
    }

    private static Problem fieldProblem(String field, String detail, String error) {
        Problem problem = Problem.of(ProblemType.MALFORMED_REQUEST, detail);
        return field.isEmpty() ? problem : problem.withErrors(List.of(FieldError.of(field, error)));
    }

    /** Which {@link JsonLimits} bound was passed, from Jackson's message (its wording is stable since 2.15). */
    static String constraint(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            return "nesting depth above " + JsonLimits.MAX_NESTING_DEPTH;
        }
        if (message.startsWith("String value length")) {
            return "a string longer than " + JsonLimits.MAX_STRING_LENGTH + " characters";
        }
        if (message.startsWith("Number value length") || message.startsWith("Number length")) {
            return "a number longer than " + JsonLimits.MAX_NUMBER_LENGTH + " characters";
        }
        if (message.startsWith("Name length")) {
            return "a field name longer than " + JsonLimits.MAX_NAME_LENGTH + " characters";
        }
        return "the document is too large";
    }

    static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
