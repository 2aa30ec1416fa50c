package dev.strata.streamarchive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stream archive's table of contents for one topic ({@link StreamLayout#manifestKey()}): per partition, the
 * offsets the archive holds, {@code [from, to)}, in how many segments, records and bytes. Rewritten by the
 * archiver after the segments it names are stored, so whatever it names can be read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamManifest(String format, String topic, Instant updatedAt, List<Partition> partitions) {

    public static final String FORMAT = "strata-stream-archive/1";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Partition(int partition, long from, long to, long segments, long records, long bytes) {}

    public Optional<Partition> partition(int partition) {
        return partitions.stream().filter(p -> p.partition() == partition).findFirst();
    }
}
