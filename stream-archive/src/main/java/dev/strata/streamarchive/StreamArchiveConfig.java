package dev.strata.streamarchive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The stream archive: every record of the event topic kept in S3, so state can be rebuilt after the topic's old
 * segments are gone. archival-service writes it ({@code enabled} runs its archiver); quota-service and
 * metrics-service read it in rebuilds ({@code enabled} lets them).
 */
@ConfigMapping(prefix = "strata.stream-archive")
public interface StreamArchiveConfig {

    @WithDefault("true")
    boolean enabled();

    /** Bucket of the stream archive; archival-service points it at its own archive bucket. */
    @WithDefault("strata-archive")
    String bucket();

    /** Key prefix: {@code <prefix>/<topic>/partition=<p>/<from>-<to>.ndjson.gz} and {@code <prefix>/<topic>/manifest.json}. */
    @WithDefault("stream")
    String prefix();

    Segment segment();

    /** When the archiver closes a segment of one partition: whichever comes first. */
    interface Segment {

        @WithDefault("100000")
        int maxRecords();

        /** Record bytes (keys, values, headers) before compression. */
        @WithDefault("8388608")
        int maxBytes();

        /** How long the newest records may wait in memory: how far the archive may lag behind the topic. */
        @WithDefault("60s")
        Duration maxAge();
    }

    /** Bytes the archiver holds across partitions before it closes the largest segment early. */
    @WithDefault("67108864")
    long maxBufferedBytes();
}
