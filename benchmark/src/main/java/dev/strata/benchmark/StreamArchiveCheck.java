package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.benchmark.StreamArchiveReader.ArchivedRecord;
import dev.strata.benchmark.StreamArchiveReader.Segment;
import dev.strata.model.events.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stream archive against the topic, after every scenario: archival-service's archiver must have copied every
 * record of the topic to S3 exactly once and in order, through whatever the scenario broke (archival killed, S3 or
 * Kafka away, PostgreSQL restarted). Once {@code GET /archival/stream} reports each partition archived up to the
 * topic's end offsets of after the scenario (waited for, bounded), S3 is read directly ({@link StreamArchiveReader}):
 * <ul>
 *   <li>every partition's segments chain from offset 0 to where its archive ends ({@code archivedTo}): each starts
 *       where the one before ends, none overlaps another, none is missing;</li>
 *   <li>every record the topic holds below {@code archivedTo} (from its log start) is in the archive once, at its
 *       offset and in its segment's range, with the same key, timestamp and value bytes, and the archive holds no
 *       offset the topic does not.</li>
 * </ul>
 * The chain is checked whole each time (one listing). Records are compared from where the previous check ended, so
 * the suite does not read back its million records after each scenario; nothing is left uncompared, as each check
 * compares up to where the archive ended and the next one starts there.
 */
final class StreamArchiveCheck {

    static final Duration CATCH_UP_BUDGET = Duration.ofMinutes(3);
    private static final Duration READ_BUDGET = Duration.ofMinutes(5);
    private static final int EXAMPLES = 3;

    /**
     * What one check found. {@code archivedTo}: where each partition's archive ended, everything below it compared
     * with the topic; {@code segments}: the objects of the chains.
     */
    record Result(Map<Integer, Long> archivedTo, long segments, long recordsCompared, List<String> findings) {

        boolean equal() {
            return findings.isEmpty();
        }
    }

    /** One partition's archive as archival-service reports it: offsets {@code [from, to)}. */
    private record Archived(long from, long to) {}

    private final Stack stack;
    private final String kafkaBootstrap;
    private final Supplier<S3Client> s3;
    /** Per partition, the offset below which the archive was compared with the topic. */
    private final Map<Integer, Long> comparedTo = new HashMap<>();

    StreamArchiveCheck(Stack stack, String kafkaBootstrap, Supplier<S3Client> s3) {
        this.stack = stack;
        this.kafkaBootstrap = kafkaBootstrap;
        this.s3 = s3;
    }

    Result check() throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<String> findings = new ArrayList<>();
        Map<Integer, Long> archivedTo = new TreeMap<>();
        long segmentCount = 0;
        long compared = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                S3Client client = s3.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<Integer, Archived> archived = awaitArchived(start, end, findings);
            StreamArchiveReader archive = new StreamArchiveReader(client);
            Map<Integer, List<Segment>> segments = archive.segments();
            long deadline = System.nanoTime() + READ_BUDGET.toNanos();
            for (TopicPartition partition : partitions) {
                int p = partition.partition();
                Archived range = archived.getOrDefault(p, new Archived(0, 0));
                List<Segment> chain = chain(p, range, segments.getOrDefault(p, List.of()), findings);
                segmentCount += chain.size();
                long from = comparedTo.getOrDefault(p, 0L);
                if (from < start.get(partition)) {
                    findings.add(String.format(
                            Locale.ROOT,
                            "partition %d: offsets [%d, %d) left the topic before"
                                    + " they were compared with the stream archive",
                            p,
                            from,
                            start.get(partition)));
                    from = start.get(partition);
                }
                if (from < range.to()) {
                    compared += compare(consumer, partition, chain, from, range.to(), archive, deadline, findings);
                }
                comparedTo.put(p, Math.max(from, range.to()));
                archivedTo.put(p, range.to());
            }
        }
        FaultSuite.say(String.format(
                Locale.ROOT,
                "stream archive: %,d segments chained, %,d records compared with the" + " topic in %.1f s%s",
                segmentCount,
                compared,
                (System.nanoTime() - started) / 1e9,
                findings.isEmpty() ? "" : "; " + findings.size() + " findings"));
        return new Result(archivedTo, segmentCount, compared, findings);
    }

    /**
     * Polls {@code GET /archival/stream} until every partition is archived up to {@code end}; a finding if that takes
     * longer than {@link #CATCH_UP_BUDGET}. Answers what it last reported.
     */
    private Map<Integer, Archived> awaitArchived(
            Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, List<String> findings)
            throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_BUDGET.toNanos();
        Map<Integer, Archived> archived = Map.of();
        while (true) {
            String behind;
            try {
                JsonNode status = stack.getJson(stack.archival + "/archival/stream");
                archived = archived(status);
                behind = behind(archived, start, end);
                if (behind.isEmpty()) {
                    return archived;
                }
                behind += " (archiver " + status.path("archiver").asText()
                        + (status.hasNonNull("lastError")
                                ? ", last error: " + status.path("lastError").asText()
                                : "")
                        + ")";
            } catch (IOException | IllegalStateException e) {
                behind = "GET /archival/stream: " + e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                findings.add(
                        "the stream archive did not reach the topic's end within " + CATCH_UP_BUDGET + ": " + behind);
                return archived;
            }
            Thread.sleep(500);
        }
    }

    private static Map<Integer, Archived> archived(JsonNode status) {
        Map<Integer, Archived> archived = new TreeMap<>();
        for (JsonNode partition : status.path("partitions")) {
            if (partition.hasNonNull("archivedTo")) {
                archived.put(
                        partition.path("partition").asInt(),
                        new Archived(
                                partition.path("archivedFrom").asLong(),
                                partition.path("archivedTo").asLong()));
            }
        }
        return archived;
    }

    /** The partitions whose archive ends before {@code end}; one without any archive can reach only its start. */
    private static String behind(
            Map<Integer, Archived> archived, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        List<String> behind = new ArrayList<>();
        end.forEach((partition, offset) -> {
            Archived range = archived.get(partition.partition());
            long to = range == null ? start.get(partition) : range.to();
            if (to < offset) {
                behind.add("partition " + partition.partition() + " archived to " + to + " of " + offset);
            }
        });
        return String.join(", ", behind);
    }

    /**
     * The partition's segments from offset 0 to where its archive ends, each starting where the one before ends;
     * a chain that does not start at 0, a hole or an overlap is a finding. Objects from {@code archived.to} on are
     * not part of the archive yet: the archiver's write in flight, or one stored by a write that never finished,
     * which the next archiver removes before it writes there.
     */
    private static List<Segment> chain(int partition, Archived archived, List<Segment> stored, List<String> findings) {
        List<String> breaks = new ArrayList<>();
        if (archived.from() != 0) {
            breaks.add("the archive begins at offset " + archived.from() + ", not 0");
        }
        List<Segment> chain = new ArrayList<>();
        long cursor = archived.from();
        for (Segment segment : stored) {
            if (segment.from() >= archived.to()) {
                break;
            }
            if (segment.from() < cursor) {
                breaks.add(segment.key() + " overlaps offsets before " + cursor);
                cursor = Math.max(cursor, segment.to());
                continue;
            }
            if (segment.from() > cursor) {
                breaks.add("no segment holds offsets [" + cursor + ", " + segment.from() + ")");
            }
            chain.add(segment);
            cursor = segment.to();
        }
        if (cursor < archived.to()) {
            breaks.add(
                    "no segment holds offsets [" + cursor + ", " + archived.to() + "), below where the archive ends");
        } else if (cursor > archived.to()) {
            breaks.add("its segments end at " + cursor + ", after where the archive ends (" + archived.to() + ")");
        }
        if (!breaks.isEmpty()) {
            findings.add("stream archive, partition " + partition + ": " + breaks.size() + " chain breaks: "
                    + String.join("; ", breaks.subList(0, Math.min(EXAMPLES, breaks.size())))
                    + (breaks.size() > EXAMPLES ? "; ..." : ""));
        }
        return chain;
    }

    /**
     * Compares the partition's records in {@code [from, to)} on the topic with the chain's, offset by offset; any
     * difference is a finding. Returns how many records were compared.
     */
    private static long compare(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            List<Segment> chain,
            long from,
            long to,
            StreamArchiveReader archive,
            long deadline,
            List<String> findings)
            throws IOException {
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        TopicReader topic = new TopicReader(consumer, partition, deadline);
        Differences differences = new Differences();
        for (Segment segment : chain) {
            if (segment.to() <= from) {
                continue;
            }
            long windowFrom = Math.max(segment.from(), from);
            long windowTo = Math.min(segment.to(), to);
            List<ArchivedRecord> inWindow = new ArrayList<>();
            long previous = -1;
            for (ArchivedRecord line : archive.read(segment)) {
                if (line.partition() != partition.partition()
                        || line.offset() < segment.from()
                        || line.offset() >= segment.to()) {
                    differences.outside(line.offset(), segment);
                } else if (line.offset() <= previous) {
                    differences.twice(line.offset());
                } else if (line.offset() >= windowFrom && line.offset() < windowTo) {
                    inWindow.add(line);
                }
                previous = Math.max(previous, line.offset());
            }
            differences.compare(inWindow, topic.below(windowTo));
        }
        differences.compare(List.of(), topic.below(to)); // what the topic holds past the chain's last segment
        if (differences.any()) {
            findings.add("stream archive, partition " + partition.partition() + " offsets [" + from + ", " + to + "): "
                    + differences);
        }
        return differences.compared;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafkaBootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                4 << 20);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One partition of the topic read forward, in offset order, a window at a time. */
    private static final class TopicReader {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition partition;
        private final long deadline;
        private final Deque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();

        TopicReader(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long deadline) {
            this.consumer = consumer;
            this.partition = partition;
            this.deadline = deadline;
        }

        /** The records from the reader's position up to {@code until} (exclusive). */
        List<ConsumerRecord<byte[], byte[]>> below(long until) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (true) {
                while (!buffered.isEmpty() && buffered.peekFirst().offset() < until) {
                    records.add(buffered.pollFirst());
                }
                if (!buffered.isEmpty() || consumer.position(partition) >= until) {
                    return records;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + partition + " to offset " + until + " within " + READ_BUDGET);
                }
                buffered.addAll(consumer.poll(Duration.ofMillis(500)).records(partition));
            }
        }
    }

    /** What differs between a partition's archive and its topic, counted, with the first offsets as examples. */
    private static final class Differences {
        long compared;
        long missing;
        long extra;
        long different;
        long twice;
        long outside;
        final List<String> examples = new ArrayList<>();

        /** Both lists in offset order, for the same window. */
        void compare(List<ArchivedRecord> archived, List<ConsumerRecord<byte[], byte[]>> onTopic) {
            int a = 0;
            int t = 0;
            while (a < archived.size() || t < onTopic.size()) {
                ArchivedRecord line = a < archived.size() ? archived.get(a) : null;
                ConsumerRecord<byte[], byte[]> record = t < onTopic.size() ? onTopic.get(t) : null;
                if (line != null && record != null && line.offset() == record.offset()) {
                    compared++;
                    if (!Arrays.equals(line.key(), record.key())
                            || !Arrays.equals(line.value(), record.value())
                            || line.timestamp() != record.timestamp()) {
                        different++;
                        example("offset " + record.offset() + " differs from the topic's record");
                    }
                    a++;
                    t++;
                } else if (record == null || (line != null && line.offset() < record.offset())) {
                    extra++;
                    example("offset " + line.offset() + " is archived but not on the topic");
                    a++;
                } else {
                    missing++;
                    example("offset " + record.offset() + " is on the topic but not archived");
                    t++;
                }
            }
        }

        void twice(long offset) {
            twice++;
            example("offset " + offset + " archived twice (or out of order)");
        }

        void outside(long offset, Segment segment) {
            outside++;
            example("offset " + offset + " in " + segment.key() + ", outside its range or partition");
        }

        boolean any() {
            return missing + extra + different + twice + outside > 0;
        }

        private void example(String example) {
            if (examples.size() < EXAMPLES) {
                examples.add(example);
            }
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d records of the topic not archived, %d archived and not on the topic,"
                            + " %d with another key, timestamp or value, %d offsets archived twice, %d outside their"
                            + " segment (%d compared equal); e.g. %s",
                    missing,
                    extra,
                    different,
                    twice,
                    outside,
                    compared - different,
                    String.join("; ", examples));
        }
    }
}
