package dev.strata.ingest.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** How ingest reserves quota before it writes (quota-service's address: quarkus.rest-client.quota.url). */
@ConfigMapping(prefix = "strata.ingest.quota")
public interface QuotaClientConfig {

    /** Reserve before every write; off only where no quota-service runs. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Confirm a write's reservations once it committed, after the client has its answer. Off, quota-service learns
     * that the write committed only by asking once the reservations' TTL has passed: the path a crash between the
     * commit and the confirmation takes, which this switch lets a test or an operator rehearse.
     */
    @WithDefault("true")
    boolean confirm();

    /** What to do when quota-service cannot answer: REJECT (fail closed, 503) or ALLOW (write unreserved). */
    @WithDefault("reject")
    Policy onUnavailable();

    /** How long one reservation call may take. */
    @WithDefault("2s")
    Duration timeout();

    /** How long to wait for quota-service to learn of a group that was just created. */
    @WithDefault("3s")
    Duration unknownGroupWait();

    /**
     * The plans a group may have while the quota gate is off (no quota-service to ask); with it on, the plans are
     * quota-service's ({@code GET /plans}).
     */
    @WithDefault("starter,pro,enterprise")
    List<String> plans();

    /** How long the plans quota-service listed are used before they are asked for again. */
    @WithDefault("60s")
    Duration plansRefresh();

    enum Policy {
        REJECT,
        ALLOW
    }
}
