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

    Limit limit();

    /** Refusing calls over the month's {@code api_calls_per_month} ({@link ApiCallLimiter}). */
    interface Limit {
        /** Whether tenants' calls over their limit are refused with 429 (needs quota-service's answers). */
        @WithDefault("false")
        boolean enabled();

        /** How long a group's allowance is used before it is read again from quota-service. */
        @WithDefault("5s")
        Duration refresh();

        /** How long a call waits for quota-service's answer before it goes through unchecked. */
        @WithDefault("2s")
        Duration timeout();
    }
}
