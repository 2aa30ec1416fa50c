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
     * Bytes past a path's limit that a refused request may still send: they are read and dropped (never kept),
     * so that a client which sends its whole body before it reads gets the answer rather than a broken pipe. A
     * larger declared body, or a chunked one, closes the connection right after the answer instead.
     */
    public static final long DRAIN_ALLOWANCE = 16L * 1024 * 1024;

    /**
     * Answers a request refused before its body was read. A 413 says {@code Connection: close}; the connection
     * closes at once when the rest of the body is chunked or more than {@link #DRAIN_ALLOWANCE} past {@code limit}.
     */
    public void refuse(RoutingContext ctx, Problem problem, long limit) {
        HttpServerRequest request = ctx.request();
        boolean close = false;
        if (!request.isEnded()) {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null) {
                close = request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
            } else {
                try {
                    close = Long.parseLong(length.trim()) > limit + DRAIN_ALLOWANCE;
                } catch (NumberFormatException e) {
                    close = true;
                }
            }
        }
        if (problem.status() == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        write(ctx, problem, close);
    }

    /** @param close whether to close the connection once the answer is out (the rest of the body is not read) */
    public void write(RoutingContext ctx, Problem problem, boolean close) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended()) {
            ctx.request().connection().close();
            return;
        }
        String path = ctx.normalizedPath();
        Problem located = problem.instance() == null && path != null && RequestTarget.controlCharacter(path) < 0
                ? problem.withInstance(path)
                : problem;
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(located);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serializable", e);
        }
        response.setStatusCode(located.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.end(Buffer.buffer(body))
                    .onComplete(written -> ctx.request().connection().close());
        } else {
            response.end(Buffer.buffer(body));
        }
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
