package dev.strata.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
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

    public void write(RoutingContext ctx, Problem problem) {
        write(ctx, problem, false);
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
            closeAfterResponse(ctx);
        }
        response.end(Buffer.buffer(body));
    }

    /**
     * Closes the connection once the response is written, as Quarkus does for its own 413: a response end
     * handler, since routing-context end handlers are not called once something else has taken that place.
     */
    public static void closeAfterResponse(RoutingContext ctx) {
        ctx.response().endHandler(done -> ctx.request().connection().close());
    }
}
