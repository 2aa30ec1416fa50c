package dev.strata.support.http;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Holds every request body that a REST resource reads to the limit {@link RequestEdge} chose for its path. A
 * sized body was checked against it before anything was read; this counts what actually arrives, which is what
 * bounds a chunked body. It sits between the transport and the body reader (byte[], JSON records, streams), so
 * no reader buffers more than limit + 1 bytes. Server side only: the REST clients' responses are not requests.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class BodyLimitInterceptor implements ReaderInterceptor {

    private final CurrentVertxRequest request;
    private final BodyLimits limits;

    public BodyLimitInterceptor(CurrentVertxRequest request, BodyLimits limits) {
        this.request = request;
        this.limits = limits;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        RoutingContext routing = request.getCurrent();
        BodyLimit limit = routing == null ? null : routing.get(RequestEdge.BODY_LIMIT_KEY);
        if (limit == null && routing != null) {
            limit = limits.forPath(routing.normalizedPath());
        }
        if (limit != null) {
            context.setInputStream(new LimitedInputStream(
                    context.getInputStream(), limit, () -> ProblemWriter.closeAfterResponse(routing)));
        }
        return context.proceed();
    }
}
