package dev.strata.support.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which body limit applies to a path: the first matching rule (an operator's {@code strata.http.body-limits.*}
 * first, then the service's {@link BodyLimitSource}s), else the platform default.
 */
@ApplicationScoped
public class BodyLimits {

    private final List<BodyLimit> rules;
    private final BodyLimit fallback;

    @Inject
    public BodyLimits(HttpEdgeConfig config, Instance<BodyLimitSource> sources) {
        this(collect(config, sources), config.maxBodyBytes());
    }

    public BodyLimits(List<BodyLimit> rules, long defaultMaxBytes) {
        this.rules = List.copyOf(rules);
        this.fallback = BodyLimit.of(".*", defaultMaxBytes, HttpEdgeConfig.MAX_BODY_BYTES);
    }

    public BodyLimit forPath(String normalizedPath) {
        for (BodyLimit rule : rules) {
            if (rule.matches(normalizedPath)) {
                return rule;
            }
        }
        return fallback;
    }

    private static List<BodyLimit> collect(HttpEdgeConfig config, Instance<BodyLimitSource> sources) {
        List<BodyLimit> all = new ArrayList<>();
        config.bodyLimits()
                .forEach((name, rule) -> all.add(
                        BodyLimit.of(rule.path(), rule.maxBytes(), "strata.http.body-limits." + name + ".max-bytes")));
        sources.forEach(source -> all.addAll(source.bodyLimits()));
        return all;
    }
}
