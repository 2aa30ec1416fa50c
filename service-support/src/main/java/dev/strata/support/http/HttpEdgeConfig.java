package dev.strata.support.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * Body limits every Strata service enforces as bytes arrive ({@link RequestEdge}). A path takes the first
 * matching limit of {@link #bodyLimits()}, then of its service's {@link BodyLimitSource}s, else
 * {@link #maxBodyBytes()}.
 */
@ConfigMapping(prefix = "strata.http")
public interface HttpEdgeConfig {

    String MAX_BODY_BYTES = "strata.http.max-body-bytes";

    /**
     * Largest body of any path without a limit of its own (bytes). Strata's small JSON bodies (a group, a plan,
     * a reservation, overrides, an archival request) are well under 1 KiB; 64 KiB leaves room and no more.
     */
    @WithDefault("65536")
    long maxBodyBytes();

    /** Further per-path limits an operator adds, by name: {@code strata.http.body-limits.<name>.path|max-bytes}. */
    Map<String, Rule> bodyLimits();

    interface Rule {
        /** A regular expression matched against the whole normalized path, e.g. {@code /groups/[^/]+/imports}. */
        String path();

        /** Largest body of the matching paths (bytes). */
        long maxBytes();
    }
}
