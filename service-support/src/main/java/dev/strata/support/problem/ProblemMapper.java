package dev.strata.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures of the REST layer become {@code application/problem+json}; failures outside it
 * (the router, the transport edge) are written by {@code RequestEdge} with the same problems. Bodies say what the
 * caller can fix and never carry class names or stack traces; unexpected failures are logged here with a
 * reference the caller can quote.
 */
public class ProblemMapper {

    public static final String UNAUTHORIZED_DETAIL = "A valid bearer token is required.";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(Problem.of(ProblemType.UNAUTHORIZED, UNAUTHORIZED_DETAIL), uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.FORBIDDEN, "The token does not allow this request."), uri);
    }

    /**
     * Every Jackson failure: malformed JSON, wrong types, unknown fields, JSON limits, NUL, out-of-range numbers.
     * MismatchedInputException is named too, or Quarkus' own mapper for it would answer instead.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response json(JsonProcessingException e, UriInfo uri) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge, uri); // the body passed its limit while a value was being bound
        }
        if (e instanceof InvalidDefinitionException) {
            return unexpected(e, uri); // a type Jackson cannot bind: our bug, not the caller's
        }
        return respond(JsonProblems.of(e), uri);
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(BodyTooLargeException e, UriInfo uri) {
        return tooLarge(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge, uri); // wrapped by the JSON reader as a 400
        }
        if (status >= 500) {
            return unexpected(e, uri);
        }
        JsonProcessingException json = JsonProblems.jsonCause(e);
        if (status == 400 && json != null) {
            return respond(JsonProblems.of(json), uri);
        }
        if (e.getCause() != null && (e instanceof NotFoundException || e instanceof BadRequestException)) {
            // A path, query or header parameter that does not convert to its declared type (JAX-RS says 404 for
            // path and query parameters; it is the caller's malformed request, not a missing resource).
            return respond(
                    Problem.of(
                            ProblemType.MALFORMED_REQUEST,
                            "A parameter of this request does not have the expected type."),
                    uri);
        }
        String path = uri == null ? null : uri.getPath();
        if (status == 404 || status == 405) {
            Set<String> allowed = ResourceMethods.allowed(path);
            if (!allowed.isEmpty() && !allowed.contains(request.method().name())) {
                // No method of ours at this path takes this verb, but others do (JAX-RS may say 404 here).
                return Response.fromResponse(respond(forStatus(405, path), uri))
                        .header(HttpHeaders.ALLOW, String.join(", ", allowed))
                        .build();
            }
        }
        return respond(forStatus(status, path), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge, uri); // e.g. from a stream copy that wrapped it
            }
            if (t instanceof ProblemException problem) {
                return respond(problem.problem(), uri);
            }
        }
        String reference = UUID.randomUUID().toString();
        String path = uri == null ? "?" : uri.getPath();
        String state = DatabaseProblems.dataExceptionState(e);
        if (state != null) {
            LOG.warnf(
                    e,
                    "Input reached the database and was refused there (SQLSTATE %s) on %s (reference %s): "
                            + "a validation is missing",
                    state,
                    path,
                    reference);
            return respond(
                    Problem.of(
                                    ProblemType.MALFORMED_REQUEST,
                                    "A value of this request cannot be stored or compared. Reference: " + reference)
                            .withExtension("reference", reference),
                    uri);
        }
        LOG.errorf(e, "Unexpected failure on %s (reference %s)", path, reference);
        return respond(internal(reference), uri);
    }

    /** The problem for a framework-made status without a more specific cause (no route, wrong method ...). */
    public static Problem forStatus(int status, String path) {
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at " + (path == null ? "this path" : path) + ".";
            case 405 -> "This method is not allowed on " + (path == null ? "this path" : path) + ".";
            case 406 -> "No acceptable representation: this endpoint answers application/json.";
            case 413 -> "The request body is larger than this endpoint accepts.";
            case 415 -> "This content type is not accepted here.";
            default -> "The request could not be processed.";
        };
        return new Problem(type.uri(), type.title(), status, detail, null, List.of(), Map.of());
    }

    public static Problem internal(String reference) {
        return Problem.of(ProblemType.INTERNAL, "Something went wrong on our side. Reference: " + reference)
                .withExtension("reference", reference);
    }

    /** The rest of the body is not read: the connection closes once the answer is out (LimitedInputStream). */
    private Response tooLarge(BodyTooLargeException e, UriInfo uri) {
        return Response.fromResponse(respond(e.problem(), uri))
                .header("Connection", "close")
                .build();
    }

    static Response respond(Problem problem, UriInfo uri) {
        Problem located = problem.instance() == null && uri != null ? problem.withInstance(uri.getPath()) : problem;
        return Response.status(located.status())
                .type(Problem.MEDIA_TYPE)
                .entity(located)
                .build();
    }

    static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer between -2147483648 and 2147483647";
        }
        if (type == Long.class || type == long.class) {
            return "an integer between -9223372036854775808 and 9223372036854775807";
        }
        if (type == Short.class
                || type == short.class
                || type == Byte.class
                || type == byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a finite number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase();
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 timestamp between the years 0001 and 9999";
        }
        return "an object";
    }
}
