package dev.strata.support.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Metering of authenticated API calls into {@code api_call} events. */
@ConfigMapping(prefix = "strata.metering")
public interface MeteringConfig {

    /** Whether this service counts its API calls (needs the outbox and its relay). */
    @WithDefault("false")
    boolean enabled();

    /** Calls are summed per group over this window, then written as one {@code api_call} event per group. */
    @WithDefault("5s")
    Duration window();
}
