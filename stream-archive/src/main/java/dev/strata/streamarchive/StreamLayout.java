package dev.strata.streamarchive;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the stream archive's objects are. One object per segment, named by its partition and offset range
 * ({@code from} inclusive, {@code to} exclusive, zero-padded so names sort in offset order):
 * {@code <prefix>/<topic>/partition=<p>/<from>-<to>.ndjson.gz}; one manifest per topic:
 * {@code <prefix>/<topic>/manifest.json}. Segments of a partition chain: each starts where the one before ends.
 */
public record StreamLayout(String prefix, String topic) {

    public static final String EXTENSION = ".ndjson.gz";
    private static final Pattern SEGMENT = Pattern.compile(".*/partition=(\\d+)/(\\d{20})-(\\d{20})\\.ndjson\\.gz");

    /** A segment named by its key. */
    public record Range(int partition, long from, long to) {}

    public static StreamLayout of(StreamArchiveConfig config, String topic) {
        return new StreamLayout(config.prefix(), topic);
    }

    public String topicPrefix() {
        return prefix + "/" + topic + "/";
    }

    public String partitionPrefix(int partition) {
        return topicPrefix() + "partition=" + partition + "/";
    }

    public String segmentKey(int partition, long from, long to) {
        return partitionPrefix(partition) + String.format("%020d-%020d", from, to) + EXTENSION;
    }

    public String manifestKey() {
        return topicPrefix() + "manifest.json";
    }

    /** The range a segment key names; empty for any other key. */
    public static Optional<Range> range(String key) {
        Matcher matcher = SEGMENT.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Range(
                Integer.parseInt(matcher.group(1)),
                Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3))));
    }
}
