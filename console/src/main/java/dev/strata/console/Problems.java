package dev.strata.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyResponse;

/** The console's own refusals, as {@code application/problem+json} like every Strata answer. */
final class Problems {

    private Problems() {}

    /** The gateway's answer when a service cannot be reached: 503, as the services answer when a server is away. */
    static ProxyResponse unavailable(ProxyResponse response, String service, Throwable failure) {
        JsonObject problem = new JsonObject()
                .put("type", "https://strata.dev/problems/service-unavailable")
                .put("title", "Service unavailable")
                .put("status", 503)
                .put(
                        "detail",
                        service + "-service cannot be reached from the console (" + failure.getMessage()
                                + "); try again shortly.");
        response.setStatusCode(503).setStatusMessage("Service Unavailable");
        response.headers().clear();
        response.putHeader("Content-Type", "application/problem+json").putHeader("Retry-After", "5");
        return response.setBody(Body.body(Buffer.buffer(problem.encode())));
    }

    static void notFound(RoutingContext ctx, String detail) {
        JsonObject problem = new JsonObject()
                .put("type", "https://strata.dev/problems/not-found")
                .put("title", "Not found")
                .put("status", 404)
                .put("detail", detail);
        ctx.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "application/problem+json")
                .end(problem.encode());
    }
}
