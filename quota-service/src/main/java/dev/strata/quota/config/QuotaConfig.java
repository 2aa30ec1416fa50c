package dev.strata.quota.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans, reservations and housekeeping of quota-service. Plans are configuration, not code (seed limitation 2):
 * a deployment changes a limit or a price without a release.
 */
@ConfigMapping(prefix = "strata.quota")
public interface QuotaConfig {

    /** Plans by name. A group on a plan missing here is treated as the first plan of {@link #planOrder()}. */
    Map<String, PlanConfig> plans();

    /** The upgrade path, cheapest first; "upgrade suggestions" walk it upwards. Every name must be a plan. */
    @WithDefault("starter,pro,enterprise")
    List<String> planOrder();

    /** Currency of the prices. */
    @WithDefault("USD")
    String currency();

    Reservations reservations();

    Retention retention();

    Consumer consumer();

    Reconcile reconcile();

    Groups groups();

    interface PlanConfig {

        /** Price per month; absent means the plan is priced on request (custom). */
        Optional<BigDecimal> monthlyPrice();

        /** Price per year; absent means the plan is priced on request (custom). */
        Optional<BigDecimal> annualPrice();

        /**
         * Limits by metric name (users, storage_gb in GB, api_calls_per_month, entities_total,
         * connections_total, events_retention_days). A metric that is absent, or -1, is unlimited.
         */
        Map<String, Long> limits();
    }

    interface Reservations {

        /**
         * How long a reservation waits for its writer's confirmation. Past it, an unconfirmed reservation still
         * holds: quota-service asks the writer (ingest) whether the write committed, holds it until settled if so,
         * and ends it only once the writer has made "never committed" final. A reservation without a reference
         * (nothing to ask about) simply expires.
         */
        @WithDefault("PT5M")
        Duration ttl();

        /**
         * How often the resolver looks for unconfirmed reservations past their TTL (a Quarkus {@code every}
         * expression; "off" disables it, and such reservations then hold until settled or released).
         */
        @WithDefault("30s")
        String resolveEvery();

        /** How many writes one run of the resolver asks about at most (the oldest first). */
        @WithDefault("200")
        int resolveLimit();

        /** Largest amount one reservation may ask for, so a typo cannot lock a group's quota. */
        @WithDefault("100000000000000")
        long maxAmount();
    }

    interface Retention {

        /** How often the housekeeping job runs (a Quarkus {@code every} expression; "off" disables it). */
        @WithDefault("1h")
        String every();

        /**
         * Months of monthly periods and daily history kept, counting the current month. Older api call months,
         * history days and threshold crossings of old months are removed.
         */
        @WithDefault("13")
        int keepMonths();

        /**
         * How long applied event ids are kept for deduplication. Must exceed the longest redelivery window
         * (offset commit lag, consumer downtime); a rebuild deduplicates on its own.
         */
        @WithDefault("P30D")
        Duration appliedEventsMaxAge();

        /** How long settled and released reservations stay readable before they are removed. */
        @WithDefault("P1D")
        Duration keepClosedReservations();
    }

    interface Consumer {

        /**
         * Committed batches whose event-to-counter lag this replica keeps in memory for
         * {@code GET /admin/quotas/lag} (benchmarks read it).
         */
        @WithDefault("200")
        int lagBatches();
    }

    interface Groups {

        /**
         * How long quota-service waits for ingest's {@code GET /groups/{g}} when it meets a group it has not seen
         * on the stream. Short: the caller is often ingest reserving quota, whose own call gives up after 2 s; no
         * answer in time leaves the group unknown (404), which ingest retries.
         */
        @WithDefault("PT1S")
        Duration learnTimeout();
    }

    interface Reconcile {

        /**
         * How long a fix waits for the consumers to apply the group's events that were on the topic when ingest
         * was asked (positions are committed with every batch), before it gives up with 409.
         */
        @WithDefault("PT30S")
        Duration catchUpTimeout();

        /**
         * How long a fix waits for the apply gate (consumers hold it shared for one batch; a rebuild holds it
         * exclusively for the whole replay), before it gives up with 409.
         */
        @WithDefault("PT5S")
        Duration gateTimeout();
    }
}
