package dev.strata.support.http;

import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.BodyTooLargeException;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.problem.ProblemMapper;
import dev.strata.support.security.TenantAccess;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The transport edge of every Strata service, on the Vert.x router ahead of the REST layer, so that it holds
 * for every path, whether a resource would match it or not. In this order, before a byte of the body is read
 * and before any parameter is converted:
 * <ol>
 * <li>the request target is a well-formed URI (else 400): Quarkus checks that itself, with an empty 400, unless
 * the JVM runs with {@code -Dvertx.disableURIValidation=true}, as Strata's launchers start it, so that the answer
 * is a problem like every other;</li>
 * <li>{@code things%3Abatch} is read as {@code things:batch} (many clients percent-encode the colon of such
 * custom-method paths);</li>
 * <li>a path under {@code /groups/{groupId}} names a well-formed group (else 400) that the caller's token may
 * touch (else 401 without a valid token, 403 with one): authorization comes before any validation, and a
 * refused call is never metered;</li>
 * <li>path and query carry no control character (400);</li>
 * <li>outside {@code /q/}, an {@code Accept} header allows JSON (else 406: every API answer is JSON), and a
 * body comes with a Content-Type (else 415);</li>
 * <li>a body whose Content-Length passes the path's {@link BodyLimit} is refused (413) without reading it; the
 * limit is left on the routing context for {@link BodyLimitInterceptor}, which counts what actually arrives.</li>
 * </ol>
 * It also renders failures that reach the router (an exception outside a resource, no route) as problems.
 */
@ApplicationScoped
public class RequestEdge {

    /** Routing-context key of the {@link BodyLimit} of the current request. */
    public static final String BODY_LIMIT_KEY = "dev.strata.body-limit";

    /**
     * After Quarkus' deferred authentication (order -200) and HTTP permission checks (-100), before its own
     * upload limit (-2, whose bare 413 would otherwise answer first) and every route that serves a request.
     */
    static final int ORDER = -5;

    private static final Logger LOG = Logger.getLogger(RequestEdge.class);

    private final BodyLimits limits;
    private final ProblemWriter writer;

    public RequestEdge(BodyLimits limits, ProblemWriter writer) {
        this.limits = limits;
        this.writer = writer;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        for (int status : List.of(400, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503)) {
            router.errorHandler(status, this::failure);
        }
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!RequestTarget.wellFormed(request.uri())) {
            refuse(
                    ctx,
                    Problem.of(
                                    ProblemType.MALFORMED_REQUEST,
                                    "The request target is not a well-formed URI (a '%' not followed by two hex digits?).")
                            .withErrors(List.of(FieldError.of("uri", "must be a well-formed URI"))));
            return;
        }
        String path = request.path();
        if (path != null && (path.contains("%3A") || path.contains("%3a"))) {
            String query = request.query();
            ctx.reroute(path.replace("%3A", ":").replace("%3a", ":") + (query == null ? "" : "?" + query));
            return;
        }
        String segment = RequestTarget.groupSegment(ctx.normalizedPath());
        if (segment == null) {
            checkTarget(ctx);
            return;
        }
        UUID group = RequestTarget.groupId(segment);
        if (group == null) {
            refuse(
                    ctx,
                    Problem.of(ProblemType.MALFORMED_REQUEST, "'groupId' must be a UUID.")
                            .withErrors(List.of(FieldError.of("groupId", "must be a UUID"))));
            return;
        }
        Context context = Vertx.currentContext();
        QuarkusHttpUser.getSecurityIdentity(ctx, null)
                .subscribe()
                .with(
                        identity -> onContext(context, () -> authorize(ctx, identity, group)),
                        failure -> onContext(context, () -> unauthorized(ctx)));
    }

    private void authorize(RoutingContext ctx, SecurityIdentity identity, UUID group) {
        if (identity == null || identity.isAnonymous()) {
            unauthorized(ctx);
        } else if (!TenantAccess.mayAccess(identity, group)) {
            refuse(ctx, Problem.of(ProblemType.FORBIDDEN, "This token does not grant access to group " + group + "."));
        } else {
            checkTarget(ctx);
        }
    }

    private void unauthorized(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        refuse(ctx, Problem.of(ProblemType.UNAUTHORIZED, ProblemMapper.UNAUTHORIZED_DETAIL));
    }

    private void checkTarget(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (RequestTarget.controlCharacter(request.path()) >= 0) {
            refuse(
                    ctx,
                    Problem.of(
                                    ProblemType.MALFORMED_REQUEST,
                                    "The path contains a control character (U+0000-U+001F or U+007F).")
                            .withErrors(List.of(FieldError.of("path", "must not contain control characters"))));
            return;
        }
        String query = request.query();
        int at = RequestTarget.controlCharacter(query);
        if (at >= 0) {
            String parameter = RequestTarget.parameterAt(query, at);
            String field = parameter == null ? "query" : parameter;
            refuse(
                    ctx,
                    Problem.of(
                                    ProblemType.MALFORMED_REQUEST,
                                    (parameter == null ? "The query" : "Query parameter '" + parameter + "'")
                                            + " contains a control character (U+0000-U+001F or U+007F).")
                            .withErrors(List.of(FieldError.of(field, "must not contain control characters"))));
            return;
        }
        if (!ctx.normalizedPath().startsWith("/q/")) {
            if (!RequestTarget.acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
                refuse(
                        ctx,
                        Problem.of(
                                ProblemType.NOT_ACCEPTABLE,
                                "This API answers application/json (and application/problem+json); the Accept header"
                                        + " allows neither."));
                return;
            }
            if (hasBody(request) && request.getHeader(HttpHeaders.CONTENT_TYPE) == null) {
                refuse(
                        ctx,
                        Problem.of(
                                ProblemType.UNSUPPORTED_MEDIA_TYPE,
                                "A request body needs a Content-Type (application/json, or what the endpoint documents)."));
                return;
            }
        }
        BodyLimit limit = limits.forPath(ctx.normalizedPath());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long bytes = parseLength(length);
            if (bytes > limit.maxBytes()) {
                writer.refuse(
                        ctx,
                        BodyTooLargeException.declared(bytes, limit.maxBytes(), limit.property()),
                        limit.maxBytes());
                return;
            }
        }
        ctx.put(BODY_LIMIT_KEY, limit);
        ctx.next();
    }

    /** Failures that reached the router rather than a resource's exception mapping, and unmatched routes. */
    void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        Problem problem;
        if (failure instanceof BodyTooLargeException tooLarge) {
            writer.write(ctx, tooLarge.problem(), true);
            return;
        }
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            unauthorized(ctx);
            return;
        }
        if (failure instanceof ProblemException refusal) {
            problem = refusal.problem();
        } else if (failure instanceof ForbiddenException) {
            problem = Problem.of(ProblemType.FORBIDDEN, "The token does not allow this request.");
        } else if (failure == null && status >= 400 && status < 500) {
            problem = ProblemMapper.forStatus(status, ctx.normalizedPath());
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.errorf(
                    failure,
                    "Unexpected failure on %s (reference %s, status %d)",
                    ctx.normalizedPath(),
                    reference,
                    status);
            problem = ProblemMapper.internal(reference);
        }
        refuse(ctx, problem);
    }

    /** Answers a refusal made before the body is read (see {@link ProblemWriter#DRAIN_ALLOWANCE}). */
    private void refuse(RoutingContext ctx, Problem problem) {
        writer.refuse(ctx, problem, limits.forPath(ctx.normalizedPath()).maxBytes());
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? parseLength(length) > 0 : request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }
}
