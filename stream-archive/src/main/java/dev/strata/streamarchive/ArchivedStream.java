package dev.strata.streamarchive;

import dev.strata.support.messaging.StreamRecord;
import dev.strata.support.messaging.StreamReplayer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a rebuild reads before the topic. For each partition whose topic no longer begins at offset 0 (retention
 * deleted its old segments), the stream archive's records from offset 0 up to where the archive ends, then the
 * topic from there. A partition the topic still holds whole is read from the topic alone: it has every record
 * the archive has, and a rebuild then does not depend on S3. A rebuild that would miss records (the archive
 * ends before the topic begins, or began after records were deleted) is refused with the offsets it lacks,
 * rather than undercounting.
 */
@ApplicationScoped
public class ArchivedStream implements StreamReplayer.Archive {

    private final StreamArchiveConfig config;
    private final StreamArchiveStore store;

    public ArchivedStream(StreamArchiveConfig config, StreamArchiveStore store) {
        this.config = config;
        this.store = store;
    }

    /** One partition's part: archived offsets {@code [archiveFrom, archiveTo)}, then the topic from {@code topicFrom}. */
    public record Part(long archiveFrom, long archiveTo, long topicFrom) {

        public boolean fromArchive() {
            return archiveTo > archiveFrom;
        }
    }

    /** Where each partition is read from. */
    public record Plan(StreamLayout layout, Map<TopicPartition, Part> parts) {

        /** The first offset read of each partition (archive or topic). */
        public Map<TopicPartition, Long> firstOffsets() {
            Map<TopicPartition, Long> first = new HashMap<>();
            parts.forEach((partition, part) ->
                    first.put(partition, part.fromArchive() ? part.archiveFrom() : part.topicFrom()));
            return first;
        }

        /**
         * Positions the consumer where the topic's part of each partition begins: where the archive ends, or
         * {@code end} if that comes first ({@link #replay} stops there too), so whatever lies between is read from
         * the topic by a later catch-up and never skipped.
         */
        public void seek(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
            parts.forEach((partition, part) ->
                    consumer.seek(partition, Math.min(part.topicFrom(), end.getOrDefault(partition, Long.MAX_VALUE))));
        }

        public boolean readsArchive() {
            return parts.values().stream().anyMatch(Part::fromArchive);
        }
    }

    /**
     * @param topicBeginning each partition's first offset on the topic (its log start offset)
     * @throws StreamGapException     when some records are neither on the topic nor in the archive
     * @throws StreamArchiveException when the archive cannot be read
     */
    public Plan plan(String topic, Map<TopicPartition, Long> topicBeginning) {
        StreamLayout layout = StreamLayout.of(config, topic);
        Map<TopicPartition, Part> parts = new HashMap<>();
        StreamManifest manifest = null;
        List<String> missing = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : topicBeginning.entrySet()) {
            long logStart = entry.getValue();
            if (logStart == 0) {
                parts.put(entry.getKey(), new Part(0, 0, 0));
                continue;
            }
            if (!config.enabled()) {
                missing.add(describe(entry.getKey(), 0, logStart) + " (strata.stream-archive.enabled=false)");
                continue;
            }
            if (manifest == null) {
                manifest = store.manifest(layout)
                        .orElse(new StreamManifest(StreamManifest.FORMAT, topic, null, List.of()));
            }
            StreamManifest.Partition archived =
                    manifest.partition(entry.getKey().partition()).orElse(null);
            if (archived == null) {
                missing.add(describe(entry.getKey(), 0, logStart) + " (the archive holds nothing of it)");
            } else if (archived.from() > 0) {
                missing.add(describe(entry.getKey(), 0, archived.from())
                        + " (deleted from the topic before the archive began)");
            } else if (archived.to() < logStart) {
                missing.add(describe(entry.getKey(), archived.to(), logStart)
                        + " (deleted from the topic before they were archived)");
            } else {
                parts.put(entry.getKey(), new Part(archived.from(), archived.to(), archived.to()));
            }
        }
        if (!missing.isEmpty()) {
            throw new StreamGapException("Records are neither on topic " + topic + " nor in the stream archive"
                    + " (bucket " + config.bucket() + "): " + String.join("; ", missing)
                    + ". A rebuild would undercount, so it is refused.");
        }
        return new Plan(layout, parts);
    }

    /**
     * For {@link StreamReplayer}: plans, hands the archived records over, and tells where the topic's part of each
     * partition begins.
     *
     * @throws StreamGapException     when some records are neither on the topic nor in the archive
     * @throws StreamArchiveException when the archive cannot be read
     */
    @Override
    public Map<TopicPartition, Long> replay(
            String topic,
            Map<TopicPartition, Long> beginning,
            Map<TopicPartition, Long> end,
            int batchSize,
            java.util.function.Consumer<List<StreamRecord>> batch) {
        Plan plan = plan(topic, beginning);
        replay(plan, end, batchSize, batch);
        Map<TopicPartition, Long> topicFrom = new HashMap<>();
        plan.parts().forEach((partition, part) -> topicFrom.put(partition, part.topicFrom()));
        return topicFrom;
    }

    /**
     * Hands the archived records of every partition the plan reads from the archive to {@code chunk}, in offset
     * order per partition and below {@code end}, at most {@code chunkSize} at a time.
     *
     * @return how many records were handed over
     */
    public long replay(
            Plan plan,
            Map<TopicPartition, Long> end,
            int chunkSize,
            java.util.function.Consumer<List<StreamRecord>> chunk) {
        long total = 0;
        List<TopicPartition> partitions = new ArrayList<>(plan.parts().keySet());
        partitions.sort(Comparator.comparingInt(TopicPartition::partition));
        for (TopicPartition partition : partitions) {
            Part part = plan.parts().get(partition);
            if (!part.fromArchive()) {
                continue;
            }
            long until = Math.min(part.archiveTo(), end.getOrDefault(partition, Long.MAX_VALUE));
            long cursor = part.archiveFrom();
            List<StreamArchiveStore.StoredSegment> segments = store.listSegments(plan.layout(), partition.partition());
            for (StreamArchiveStore.StoredSegment segment : segments) {
                if (cursor >= until) {
                    break;
                }
                if (segment.from() != cursor) {
                    continue; // a segment left by an interrupted write, which the manifest never named
                }
                List<StreamRecord> records = SegmentFormat.read(partition.topic(), store.readSegment(segment.key()));
                List<StreamRecord> batch = new ArrayList<>(Math.min(chunkSize, records.size()));
                for (StreamRecord record : records) {
                    if (record.offset() < cursor || record.offset() >= until) {
                        continue;
                    }
                    batch.add(record);
                    if (batch.size() == chunkSize) {
                        chunk.accept(batch);
                        total += batch.size();
                        batch = new ArrayList<>(chunkSize);
                    }
                }
                if (!batch.isEmpty()) {
                    chunk.accept(batch);
                    total += batch.size();
                }
                cursor = segment.to();
            }
            if (cursor < until) {
                throw new StreamArchiveException("The stream archive of " + partition + " has no segment starting at"
                        + " offset " + cursor + ", although its manifest says it holds up to " + part.archiveTo());
            }
        }
        return total;
    }

    private static String describe(TopicPartition partition, long from, long to) {
        return "partition " + partition.partition() + " offsets [" + from + ", " + to + ")";
    }
}
