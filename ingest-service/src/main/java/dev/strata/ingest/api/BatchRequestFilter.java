package dev.strata.ingest.api;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchLimits;
import dev.strata.model.events.EventEnvelopeCodec;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs before the REST layer for the {@code :batch} and import endpoints. It refuses oversize bodies from their
 * Content-Length before a byte is buffered (batch bodies are parsed whole; import jobs stream and have their
 * own, larger limit), and it accepts {@code things%3Abatch} for {@code things:batch}, since many HTTP clients
 * percent-encode the colon of such custom-method paths.
 */
@ApplicationScoped
public class BatchRequestFilter {

    private final IngestConfig config;

    public BatchRequestFilter(IngestConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(-10).handler(ctx -> {
            String path = ctx.request().path();
            if (path.contains("%3A") || path.contains("%3a")) {
                String query = ctx.request().query();
                ctx.reroute(path.replace("%3A", ":").replace("%3a", ":") + (query == null ? "" : "?" + query));
                return;
            }
            boolean batch = path.endsWith(":batch");
            boolean imports = path.endsWith("/imports");
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long limit = batch ? config.maxBatchBodyBytes() : config.imports().maxBodyBytes();
            String limitName = batch ? "strata.ingest.max-batch-body-bytes" : "strata.ingest.imports.max-body-bytes";
            if ((batch || imports) && length != null) {
                long bytes;
                try {
                    bytes = Long.parseLong(length);
                } catch (NumberFormatException e) {
                    bytes = Long.MAX_VALUE;
                }
                if (bytes > limit) {
                    byte[] body = EventEnvelopeCodec.mapper().valueToTree(
                            BatchLimits.bodyTooLarge(bytes, limit, limitName).problem().withInstance(path)).toString()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    ctx.response().setStatusCode(413)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(io.vertx.core.buffer.Buffer.buffer(body));
                    return;
                }
            }
            ctx.next();
        });
    }
}
