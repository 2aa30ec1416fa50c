package dev.strata.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where the console's gateway finds the four services ({@code strata.console.services.<name>}): the local run's
 * ports by default, the cluster's service names in Kubernetes and compose.
 */
@ConfigMapping(prefix = "strata.console")
public interface ConsoleConfig {

    /** Base URL per service name ({@code ingest}, {@code quota}, {@code metrics}, {@code archival}). */
    Map<String, URI> services();

    /** How long the gateway waits for a service's answer before it answers 504. */
    @WithDefault("30s")
    Duration timeout();
}
