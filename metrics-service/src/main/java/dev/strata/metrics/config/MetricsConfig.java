package dev.strata.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** How the projections are fed, how far back the activity feed reaches, and how reads wait for a write. */
@ConfigMapping(prefix = "strata.metrics")
public interface MetricsConfig {

    /**
     * How far back the activity feed keeps events (by when they happened). Older rows are pruned on a schedule;
     * all-time counts live in rollups and are not affected.
     */
    @WithDefault("90d")
    Duration recentWindow();

    /** How often the activity feed is pruned to {@link #recentWindow()} (read by the scheduled pruning job). */
    @WithDefault("1h")
    Duration pruneEvery();

    /** Longest a read with {@code ?position=} waits for that event before answering stale. */
    @WithDefault("5s")
    Duration readYourWritesTimeout();

    /** How often a waiting read checks whether its event was applied (one primary-key lookup). */
    @WithDefault("50ms")
    Duration readYourWritesPoll();

    /** A creator or group is active when it had an activity event this recently. */
    @WithDefault("30d")
    Duration activeWindow();

    /** Connections shown in each direction of {@code _relationships} (the rest are paged from /relationships). */
    @WithDefault("20")
    int relationshipsPreview();

    /** Knowledge items shown in {@code _knowledge}. */
    @WithDefault("100")
    int knowledgeLimit();

    /** Entries of {@code topContentByEngagement}. */
    @WithDefault("10")
    int topContent();

    /**
     * Stream facts that are not entries of the activity log: they feed projections (things, connections, storage,
     * API calls) but are not counted as events. Every other type, including types a deployment adds to the
     * ontology, is an activity event, as in ingest's events table.
     */
    @WithDefault("thing_created,connection_created,knowledge_created,group_created,group_plan_changed,api_call,"
            + "quota_threshold_crossed,events_archived")
    Set<String> nonActivityTypes();

    /** Committed batches of the live consumer whose lag {@code GET /admin/projections/lag} summarises. */
    @WithDefault("2000")
    int lagBatches();

    /** Rebuilds: replaying the topic into the rebuild tables ({@code rebuild_*}). */
    Rebuild rebuild();

    /** How revenue, summed per currency, is shown as one figure. */
    Revenue revenue();

    /**
     * Revenue is stored per currency and never added across currencies. The figures that SPEC names (totalRevenue,
     * revenuePerContent, revenueThisMonth, avgRevenuePerUser) are in {@link #reportingCurrency()}, converted at
     * {@link #rates()}; the exact sums per currency are shown beside them.
     */
    interface Revenue {

        /** The ISO 4217 code the converted figures are in; its own amounts count at 1. */
        @WithDefault("USD")
        String reportingCurrency();

        /**
         * Units of the reporting currency one unit of a currency is worth, by ISO 4217 code:
         * {@code strata.metrics.revenue.rates."EUR"=1.08}. Fixed, set by the operator (the service fetches no rates).
         * Amounts in a currency with no rate are left out of the converted figures and listed as unconverted.
         */
        Map<String, BigDecimal> rates();
    }

    interface Rebuild {

        /** Most records the replay hands over at once, applied in one transaction. */
        @WithDefault("2000")
        int batchSize();

        /** Longest the swap waits for a table lock before it gives up and tries again (readers queue behind it). */
        @WithDefault("2s")
        Duration lockTimeout();

        /** Swap attempts before the rebuild fails (the live tables stay as they were). */
        @WithDefault("5")
        int swapAttempts();
    }
}
