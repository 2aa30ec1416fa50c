package dev.strata.cli.client;

import java.net.URI;

/**
 * One of the four services as the CLI reaches it: its base URL and where that came from, so that an error can say
 * which option or variable to fix.
 */
public record Service(String name, URI base, String option, String variable) {

    public URI resolve(String path) {
        String root = base.toString().endsWith("/")
                ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        return URI.create(root + path);
    }
}
