package dev.strata.archival.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** What archival-service moves to the cold store, when, and how it proves it. */
@ConfigMapping(prefix = "strata.archival")
public interface ArchivalConfig {

    /**
     * Events older than this many days leave the hot store (SPEC: 365) in groups whose plan does not say otherwise:
     * unlimited retention (enterprise), groups quota-service does not know, or plan retention turned off.
     */
    @WithDefault("365")
    int ageThresholdDays();

    /**
     * Per-group exceptions, keyed by group id, e.g. {@code strata.archival.group-age-threshold-days."<uuid>"=90}:
     * they win over the plan's retention.
     */
    Map<String, Integer> groupAgeThresholdDays();

    PlanRetention planRetention();

    /** A group's cut-off from its plan's {@code events_retention_days}, read from quota-service at each run. */
    interface PlanRetention {
        /** Off: every group has {@link #ageThresholdDays()} or its override (no call to quota-service). */
        @WithDefault("true")
        boolean enabled();

        /** How long a run (or a status read) waits for quota-service before it fails; the next run tries again. */
        @WithDefault("2m")
        Duration lookupTimeout();
    }

    /** Events one selection page takes; each (group, day) slice of a page becomes one object. */
    @WithDefault("1000")
    int batchSize();

    /**
     * How long archived objects are meant to be kept (7 years). Reported by the status endpoint; expiry itself is
     * a lifecycle rule on the bucket, not something this service deletes.
     */
    @WithDefault("2555")
    int retentionDays();

    /** The bucket that holds objects and manifests; created at start if missing and allowed. */
    @WithDefault("strata-archive")
    String bucket();

    /** Whether the service may create {@link #bucket()} when it is missing. */
    @WithDefault("true")
    boolean createBucket();

    /** gzip level of the NDJSON objects (1 fastest, 9 smallest). */
    @WithDefault("6")
    int gzipLevel();

    /** Objects larger than this many bytes are sent as a multipart upload. */
    @WithDefault("16777216")
    long multipartThreshold();

    /** Part size of multipart uploads in bytes; below S3's minimum of 5 MiB, 5 MiB is used. */
    @WithDefault("8388608")
    long multipartPartSize();

    /**
     * Objects of a run being written, uploaded and read back at the same time (on as many threads). An upload is
     * mostly waiting for the store, so a few in flight hide that wait; commits still follow the order in which
     * the objects were planned.
     */
    @WithDefault("4")
    int uploadConcurrency();

    /** Uploads of one object before a read-back mismatch fails the run. */
    @WithDefault("3")
    int uploadAttempts();

    /** How often a replica renews the lease of the run it executes. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /** A running run whose heartbeat is older than this is taken for dead and reported failed. */
    @WithDefault("60s")
    Duration heartbeatTimeout();

    /** Used by the status estimate until runs have measured the real throughput. */
    @WithDefault("2000")
    double estimatedEventsPerSecond();

    Schedule schedule();

    EventsTable events();

    interface Schedule {
        /** The in-process daily run; turn it off where a Kubernetes CronJob calls {@code POST /archival/runs}. */
        @WithDefault("true")
        boolean enabled();

        /** Quartz-style cron of the in-process run (read by the scheduler as {@code strata.archival.schedule.cron}). */
        @WithDefault("0 30 2 * * ?")
        String cron();

        /** A scheduled trigger is skipped when an archive run started less than this long ago (other replicas). */
        @WithDefault("1h")
        Duration minInterval();
    }

    interface EventsTable {
        /** The hot events table, schema-qualified, reached through the {@code events} datasource. */
        @WithDefault("ingest.events")
        String table();

        /**
         * ingest's record of archived event ids, schema-qualified, in the events table's database: a run inserts the id,
         * group and type of each event it deletes from the log (same statement), a restore removes them again (same
         * transaction as the rows it puts back), so ingest never lets anyone reuse an archived id.
         */
        @WithDefault("ingest.archived_event_ids")
        String archivedIdsTable();

        /**
         * Whether the events table lives in this service's own database. Then the DELETE of archived events commits in
         * the same transaction as the bookkeeping and the {@code events_archived} outbox row. When false (separate
         * databases), the DELETE runs on the {@code events} datasource just before that transaction; a crash in
         * between leaves the object {@code verified} and the next run repeats the (idempotent) delete and commits.
         */
        @WithDefault("true")
        boolean sameDatabase();
    }
}
