package dev.strata.ingest.api;

import dev.strata.ingest.config.IngestConfig;
import dev.strata.support.http.BodyLimit;
import dev.strata.support.http.BodyLimitSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The bodies ingest takes beyond the platform's small default: batch calls (parsed whole, up to
 * {@code strata.ingest.max-batch-body-bytes}) and import jobs (streamed to a spool file, up to
 * {@code strata.ingest.imports.max-body-bytes}). service-support's edge enforces them as bytes arrive.
 */
@ApplicationScoped
public class IngestBodyLimits implements BodyLimitSource {

    private final IngestConfig config;

    public IngestBodyLimits(IngestConfig config) {
        this.config = config;
    }

    @Override
    public List<BodyLimit> bodyLimits() {
        return List.of(
                BodyLimit.of(
                        "/groups/[^/]+/[A-Za-z]+:batch",
                        config.maxBatchBodyBytes(),
                        "strata.ingest.max-batch-body-bytes"),
                BodyLimit.of(
                        "/groups/[^/]+/imports",
                        config.imports().maxBodyBytes(),
                        "strata.ingest.imports.max-body-bytes"));
    }
}
