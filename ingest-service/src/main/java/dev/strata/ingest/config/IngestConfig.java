package dev.strata.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Limits and tuning of ingest-service. Every limit answers with a problem naming it when crossed. */
@ConfigMapping(prefix = "strata.ingest")
public interface IngestConfig {

    /** Most items one batch call takes; larger imports go through import jobs. */
    @WithDefault("10000")
    int maxBatchItems();

    /** Largest body a batch call takes (bytes); over it: 413, counted as the bytes arrive. */
    @WithDefault("67108864")
    long maxBatchBodyBytes();

    /**
     * Largest item of a batch or an import, as sent (a JSON array element, an NDJSON line, a CSV record; bytes).
     * A larger one is that item's error, skipped without being kept. Each item becomes one event on the topic, so
     * this stays under the broker's record size (1 MiB by default).
     */
    @WithDefault("1000000")
    int maxItemBytes();

    /**
     * Batch bodies larger than this (bytes) count as large: at most {@link LargeBatches#concurrency()} of them are
     * read and written at once, so a few concurrent large bodies cannot take the heap.
     */
    LargeBatches largeBatches();

    interface LargeBatches {
        /** Where a body starts to count as large (bytes). */
        @WithDefault("4194304")
        long thresholdBytes();

        /** How many large bodies are handled at once; the others wait their turn. */
        @WithDefault("1")
        int concurrency();

        /** How long a large body waits for its turn before it is answered 503 (retry later). */
        @WithDefault("30s")
        Duration maxWait();
    }

    /** Largest serialized {@code properties} object of one thing (bytes). */
    @WithDefault("65536")
    int maxPropertyBytes();

    /** Longest thing name (characters). */
    @WithDefault("256")
    int maxNameLength();

    /** Largest knowledge text (bytes). */
    @WithDefault("262144")
    int maxKnowledgeTextBytes();

    /** Most embedding dimensions of one knowledge item. */
    @WithDefault("4096")
    int maxEmbeddingDimensions();

    /** Largest serialized {@code metadata} object of an event or connection (bytes). */
    @WithDefault("16384")
    int maxMetadataBytes();

    /** How far in the future a client may date an event. */
    @WithDefault("PT5M")
    Duration maxEventClockSkew();

    /**
     * Largest {@code metadata.count} of one {@code api_call} event a client logs. quota-service and metrics-service
     * add these counts into 64-bit counters; the bound keeps any realistic sum far from overflowing them.
     */
    @WithDefault("1000000")
    long maxApiCallCount();

    /** Largest {@code metadata.amount} of one {@code revenue_generated} event. */
    @WithDefault("1000000000000")
    java.math.BigDecimal maxRevenueAmount();

    /** Most decimal places of a {@code revenue_generated} amount. */
    @WithDefault("8")
    int maxRevenueScale();

    Imports imports();

    interface Imports {
        /** Largest import body (bytes). */
        @WithDefault("4294967296")
        long maxBodyBytes();

        /** Items written per transaction of an import job. */
        @WithDefault("5000")
        int chunkSize();

        /** Most item errors an import job keeps (it keeps counting beyond). */
        @WithDefault("1000")
        int maxReportedErrors();

        /**
         * Where uploaded import bodies are spooled until processed; default: {@code strata-imports} in the system
         * temp folder.
         */
        Optional<Path> spoolDirectory();

        /**
         * Whether every replica sees the same spool directory (a shared volume). If not (the default), a job is
         * run only by the replica that received its body, the one that holds its spool file, unless the body is
         * kept in S3 ({@link #spoolStore()}).
         */
        @WithDefault("false")
        boolean sharedSpool();

        /**
         * Where a job's body is kept until the job ends: {@code local}, the spool file only; {@code s3}, also in
         * {@link #spoolBucket()} (uploaded before the job is queued), so any replica can run or take over any job
         * without a shared volume.
         */
        @WithDefault("local")
        SpoolStore spoolStore();

        /** The bucket of {@code spool-store=s3} (S3 settings: {@code strata.s3.*}); created if missing. */
        @WithDefault("strata-imports")
        String spoolBucket();

        /** This replica's name in the job table; default: the host name (the pod name on Kubernetes). */
        Optional<String> node();

        /** How often an idle worker looks for queued jobs (an upload on this replica wakes it at once). */
        @WithDefault("5s")
        Duration pollInterval();

        /**
         * A running job whose worker has not committed a chunk for this long is taken to be orphaned (its replica
         * died) and may be claimed again; it resumes after the last committed chunk.
         */
        @WithDefault("5m")
        Duration leaseTimeout();

        /**
         * Failures of unknown kind after which a job is failed for good (each hands the job back to the queue once).
         * Transient failures (quota-service or the database away, a lock conflict, a chunk timeout) and takeovers
         * after a replica died do not count: they are waited out.
         */
        @WithDefault("3")
        int maxAttempts();

        /** The first wait before a job retries after a transient failure; it doubles up to {@link #retryMaxBackoff}. */
        @WithDefault("1s")
        Duration retryBackoff();

        /** The longest wait between two retries of a job held up by a transient failure. */
        @WithDefault("30s")
        Duration retryMaxBackoff();

        /** Whether this replica runs an import worker. */
        @WithDefault("true")
        boolean enabled();
    }

    /** Where import bodies are kept (strata.ingest.imports.spool-store). */
    enum SpoolStore {
        LOCAL,
        S3
    }
}
