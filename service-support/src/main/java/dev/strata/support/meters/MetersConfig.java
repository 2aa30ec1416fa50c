package dev.strata.support.meters;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The gauges a scheduled job reads from the database or the broker ({@link PolledValue}). Their refresh runs every
 * {@code strata.meters.refresh-every} (5 s by default, read by each job's {@code @Scheduled}).
 */
@ConfigMapping(prefix = "strata.meters")
public interface MetersConfig {

    /** How often those gauges are read again; a scrape in between sees the last reading. */
    @WithDefault("5s")
    Duration refreshEvery();

    /**
     * A gauge whose refresh has failed for this long reads NaN (a gap on the dashboard) instead of its last,
     * outdated value.
     */
    @WithDefault("1m")
    Duration staleAfter();
}
