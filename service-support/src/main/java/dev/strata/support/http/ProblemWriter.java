package dev.strata.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes a problem straight to the Vert.x response, for refusals made before (or outside) the REST layer: the
 * same body {@code ProblemMapper} gives, so a client cannot tell which layer answered.
 */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Answers with the problem. The body of a refused request is never read: a small one is let through to the
     * bin so the connection can serve the next request, a chunked one or one larger than {@code drainUpTo} closes
     * the connection after the answer.
     */
    public void write(RoutingContext ctx, Problem problem, long drainUpTo) {
        write(ctx, problem, mustClose(ctx, drainUpTo));
    }

    /**
     * @param close whether to close the connection once the answer is out: a body that is refused is not read,
     *              and the connection cannot carry another request while the rest of it is still arriving
     */
    public void write(RoutingContext ctx, Problem problem, boolean close) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended()) {
            ctx.request().connection().close();
            return;
        }
        String path = ctx.normalizedPath();
        Problem located = problem.instance() == null && path != null && RequestTarget.controlCharacter(path) < 0
                ? problem.withInstance(path) : problem;
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(located);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serializable", e);
        }
        response.setStatusCode(located.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.end(Buffer.buffer(body)).onComplete(written -> ctx.request().connection().close());
        } else {
            response.end(Buffer.buffer(body));
        }
    }

    private static boolean mustClose(RoutingContext ctx, long drainUpTo) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.trim()) > drainUpTo;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
    }

    /**
     * Closes the connection once the response has been handed to the wire. A body end handler of the routing
     * context, because the response's single end handler is taken by other parts of Quarkus and would not be
     * called; closing after the last write keeps the answer ahead of the close.
     */
    public static void closeAfterResponse(RoutingContext ctx) {
        ctx.addBodyEndHandler(done -> ctx.request().connection().close());
    }
}
