package dev.strata.benchmark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The invariants after a scenario, worked out from what the client was told and from ingest's own tables, not from
 * what quota-service or metrics-service say about themselves:
 * <ul>
 *   <li>every write ingest answered 2xx is in ingest's tables once (thing names and event ids are the load's own);</li>
 *   <li>every event of the group in ingest's tables (one {@code thing_created} per thing, one
 *       {@code connection_created} per connection, the client's events by id) is on the topic, or, below where the
 *       topic now begins (records deleted), in the stream archive;</li>
 *   <li>every event on the topic of a type quota-service counts is in its {@code applied_events}, and every event of
 *       the group in metrics-service's;</li>
 *   <li>quota's counters equal ingest's inventory; metrics' group figures equal the same aggregates in raw SQL over
 *       ingest's tables ({@link RawMetrics});</li>
 *   <li>the client's events are on the topic in the order ingest accepted them (one writer per group).</li>
 * </ul>
 * It first waits (bounded) for the stack to settle: the outbox of the group empty and the figures equal.
 */
final class FaultCheck {

    /** What quota-service counts (its README): the other types are none of its business and never recorded. */
    static final Set<String> QUOTA_TYPES = Set.of(
            "thing_created",
            "thing_updated",
            "connection_created",
            "knowledge_created",
            "api_call",
            "batch_import",
            "group_created",
            "group_plan_changed");

    static final Duration SETTLE_BUDGET = Duration.ofMinutes(5);
    private static final ObjectReader EXACT =
            Stack.JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** What the check found for one group. */
    record Result(
            long writesAccepted,
            long onTopic,
            long topicDuplicates,
            long appliedByQuota,
            long appliedByMetrics,
            long lost,
            long doubled,
            boolean countersEqual,
            boolean metricsEqual,
            boolean orderKept,
            Duration settled,
            List<String> findings) {

        /** Two groups' results as one line: counts added, every invariant required of both. */
        Result plus(Result other) {
            List<String> both = new ArrayList<>(findings);
            both.addAll(other.findings);
            return new Result(
                    writesAccepted + other.writesAccepted,
                    onTopic + other.onTopic,
                    topicDuplicates + other.topicDuplicates,
                    appliedByQuota + other.appliedByQuota,
                    appliedByMetrics + other.appliedByMetrics,
                    lost + other.lost,
                    doubled + other.doubled,
                    countersEqual && other.countersEqual,
                    metricsEqual && other.metricsEqual,
                    orderKept && other.orderKept,
                    settled.compareTo(other.settled) >= 0 ? settled : other.settled,
                    both);
        }
    }

    private final Stack stack;
    private final String kafkaBootstrap;
    private final Supplier<S3Client> s3;

    FaultCheck(Stack stack, String kafkaBootstrap, Supplier<S3Client> s3) {
        this.stack = stack;
        this.kafkaBootstrap = kafkaBootstrap;
        this.s3 = s3;
    }

    /**
     * @param archived event ids found in the S3 archive (archival scenarios), which left ingest's hot table; empty
     *                 otherwise
     * @param imported names of things an import job was told to create (all of them must exist once)
     */
    Result check(UUID group, FaultLoad load, Collection<String> imported, Set<UUID> archived) throws Exception {
        long start = System.nanoTime();
        List<String> findings = new ArrayList<>();
        boolean countersEqual = false;
        boolean metricsEqual = false;
        String countersDiff = "";
        String metricsDiff = "";
        try (Connection sql = stack.jdbc()) {
            // Fresh statistics for the ground truth: planned on the row counts of before the load, its joins over a
            // group's hundreds of thousands of events take minutes instead of a second.
            try (Statement analyze = sql.createStatement()) {
                analyze.execute("ANALYZE ingest.things, ingest.connections, ingest.events, ingest.knowledge");
            }
            while (true) {
                long pending = count(sql, "SELECT count(*) FROM ingest.outbox WHERE group_id = ?", group);
                String counters = counters(sql, group);
                String inventory = inventory(group);
                String metrics = metricsLine(group);
                String raw;
                try (RawMetrics rawMetrics = new RawMetrics(sql)) {
                    raw = rawMetrics.group(group, Instant.now());
                }
                countersEqual = counters.equals(inventory);
                metricsEqual = metrics.equals(raw);
                countersDiff = "quota " + counters + " vs ingest " + inventory;
                metricsDiff = "metrics " + metrics + " vs raw " + raw;
                if (pending == 0 && countersEqual && metricsEqual) {
                    break;
                }
                if (System.nanoTime() - start > SETTLE_BUDGET.toNanos()) {
                    findings.add("not settled after " + SETTLE_BUDGET + ": outbox " + pending + " rows; " + countersDiff
                            + "; " + metricsDiff);
                    break;
                }
                Thread.sleep(500);
            }
            Duration settled = Duration.ofNanos(System.nanoTime() - start);
            if (!countersEqual) {
                findings.add(countersDiff);
            }
            if (!metricsEqual) {
                findings.add(metricsDiff);
            }

            long lost = 0;
            long doubled = 0;
            // 1. what the client was told was written is in ingest's tables, once
            Map<String, Long> names = counts(
                    sql, "SELECT name, count(*) FROM ingest.things WHERE group_id = ?" + " GROUP BY name", group);
            Set<String> expectedNames = new HashSet<>(load == null ? Set.of() : load.thingNames);
            expectedNames.addAll(imported);
            for (String name : expectedNames) {
                long n = names.getOrDefault(name, 0L);
                if (n == 0) {
                    lost++;
                } else if (n > 1) {
                    doubled += n - 1;
                }
            }
            if (lost + doubled > 0) {
                findings.add("things: " + lost + " accepted and missing, " + doubled + " written twice");
            }
            long thingRows = names.values().stream().mapToLong(Long::longValue).sum();
            long connectionRows = count(sql, "SELECT count(*) FROM ingest.connections WHERE group_id = ?", group);
            if (load != null && connectionRows != load.connections.get()) {
                findings.add("connections: " + connectionRows + " rows for " + load.connections.get() + " accepted");
                lost += Math.max(0, load.connections.get() - connectionRows);
                doubled += Math.max(0, connectionRows - load.connections.get());
            }
            List<UUID> accepted = load == null ? List.of() : List.copyOf(load.eventIds);
            Set<UUID> hot = eventIds(sql, group, accepted);
            long eventsLost = 0;
            long eventsDoubled = 0;
            for (UUID id : accepted) {
                boolean inHot = hot.contains(id);
                boolean inArchive = archived.contains(id);
                if (!inHot && !inArchive) {
                    eventsLost++;
                } else if (inHot && inArchive) {
                    eventsDoubled++;
                }
            }
            if (eventsLost + eventsDoubled > 0) {
                findings.add("events: " + eventsLost + " accepted and in neither the hot store nor the archive, "
                        + eventsDoubled + " in both");
            }
            lost += eventsLost;
            doubled += eventsDoubled;

            // 2. the stream (the topic, and the archive where the topic no longer holds it) holds every event of
            // ingest's tables for the group
            Topic topic = readTopic(group, findings);
            long thingCreated = topic.distinctOf("thing_created");
            long connectionCreated = topic.distinctOf("connection_created");
            long missingOnTopic =
                    Math.max(0, thingRows - thingCreated) + Math.max(0, connectionRows - connectionCreated);
            for (UUID id : accepted) {
                if (!topic.types.containsKey(id.toString())) {
                    missingOnTopic++;
                }
            }
            if (missingOnTopic > 0) {
                findings.add("topic: " + missingOnTopic + " events of ingest's tables missing (thing_created "
                        + thingCreated + " for " + thingRows + " things, connection_created " + connectionCreated
                        + " for " + connectionRows + " connections)");
            }
            if (thingCreated > thingRows || connectionCreated > connectionRows) {
                findings.add("topic: more creation events than rows (thing_created " + thingCreated + " for "
                        + thingRows + ", connection_created " + connectionCreated + " for " + connectionRows + ")");
                doubled += Math.max(0, thingCreated - thingRows) + Math.max(0, connectionCreated - connectionRows);
            }
            lost += missingOnTopic;

            // 3. the consumers applied every event on the topic they read
            List<String> quotaIds = topic.idsOf(QUOTA_TYPES);
            long appliedByQuota =
                    countIn(sql, "SELECT count(*) FROM quota.applied_events WHERE event_id = ANY(?)", quotaIds);
            List<String> allIds = new ArrayList<>(topic.types.keySet());
            long appliedByMetrics =
                    countIn(sql, "SELECT count(*) FROM metrics.applied_events WHERE event_id = ANY(?)", allIds);
            if (appliedByQuota != quotaIds.size()) {
                findings.add("quota applied " + appliedByQuota + " of the " + quotaIds.size()
                        + " events of its types on the topic");
                lost += quotaIds.size() - appliedByQuota;
            }
            if (appliedByMetrics != allIds.size()) {
                findings.add(
                        "metrics applied " + appliedByMetrics + " of the " + allIds.size() + " events on the topic");
                lost += allIds.size() - appliedByMetrics;
            }

            // 4. the client's events reached the topic in the order ingest accepted them
            long inversions = topic.inversions(accepted);
            if (inversions > 0) {
                findings.add("order: " + inversions + " of the client's events are on the topic before one accepted"
                        + " earlier");
            }
            long writes = (load == null ? 0 : load.writesAccepted()) + imported.size();
            return new Result(
                    writes,
                    topic.types.size(),
                    topic.duplicates,
                    appliedByQuota,
                    appliedByMetrics,
                    lost,
                    doubled,
                    countersEqual,
                    metricsEqual,
                    inversions == 0,
                    settled,
                    findings);
        }
    }

    /** quota's running totals in base units, in the inventory's words. */
    private static String counters(Connection sql, UUID group) throws SQLException {
        Map<String, Long> totals = counts(
                sql, "SELECT metric, value FROM quota.counters WHERE group_id = ?" + " AND period = 'total'", group);
        return String.format(
                "things=%d people=%d connections=%d storage=%d",
                totals.getOrDefault("entities_total", 0L),
                totals.getOrDefault("users", 0L),
                totals.getOrDefault("connections_total", 0L),
                totals.getOrDefault("storage_gb", 0L));
    }

    private String inventory(UUID group) throws IOException, InterruptedException {
        JsonNode inventory = stack.getJson(stack.ingest + "/groups/" + group + "/inventory");
        return String.format(
                "things=%d people=%d connections=%d storage=%d",
                inventory.path("things").asLong(),
                inventory.path("peopleLike").asLong(),
                inventory.path("connections").asLong(),
                inventory.path("storageBytes").asLong());
    }

    private String metricsLine(UUID group) throws IOException, InterruptedException {
        JsonNode answer = EXACT.readTree(
                stack.get(stack.metrics + "/groups/" + group + "/metrics", 200).body());
        return RawMetrics.groupLine(answer.path("_computed"));
    }

    /**
     * The group's records of the stream, from offset 0 to the topic's end as it is now: below where a partition of
     * the topic now begins (records deleted), from the stream archive in S3; from there, from the topic.
     */
    private Topic readTopic(UUID group, List<String> findings) throws IOException {
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
        Topic topic = new Topic();
        String key = group.toString();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor("strata.events", Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            readArchived(key, start, topic, findings);
            start.forEach(consumer::seek);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!end.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        topic.add(record.value());
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            if (!end.isEmpty()) {
                throw new IllegalStateException("could not read the topic to its end within 3 minutes");
            }
        }
        return topic;
    }

    /** The group's records below each partition's log start, from the stream archive; a gap in it is a finding. */
    private void readArchived(String key, Map<TopicPartition, Long> start, Topic topic, List<String> findings)
            throws IOException {
        if (start.values().stream().allMatch(offset -> offset == 0)) {
            return;
        }
        try (S3Client client = s3.get()) {
            StreamArchiveReader archive = new StreamArchiveReader(client);
            Map<Integer, List<StreamArchiveReader.Segment>> segments = archive.segments();
            for (Map.Entry<TopicPartition, Long> partition : start.entrySet()) {
                long until = partition.getValue();
                long reached = archive.follow(
                        segments.getOrDefault(partition.getKey().partition(), List.of()), until, record -> {
                            if (key.equals(record.keyText()) && record.value() != null) {
                                topic.add(new String(record.value(), StandardCharsets.UTF_8));
                            }
                        });
                if (reached < until) {
                    findings.add("partition " + partition.getKey().partition() + ": offsets [" + reached + ", " + until
                            + ") were deleted from the topic and are not in the stream archive");
                }
            }
        }
    }

    /** One group's events on the stream: type by id, first occurrence order, repeats. */
    private static final class Topic {
        final Map<String, String> types = new LinkedHashMap<>();
        long duplicates;

        void add(String value) {
            try {
                JsonNode event = Stack.JSON.readTree(value);
                if (types.putIfAbsent(
                                event.path("id").asText(), event.path("type").asText())
                        != null) {
                    duplicates++;
                }
            } catch (IOException e) {
                throw new IllegalStateException("a record of the topic is not JSON: " + FaultLoad.abbreviate(value));
            }
        }

        long distinctOf(String type) {
            return types.values().stream().filter(type::equals).count();
        }

        List<String> idsOf(Set<String> wanted) {
            return types.entrySet().stream()
                    .filter(e -> wanted.contains(e.getValue()))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        /** Accepted events found on the topic before one that was accepted earlier (one partition per group). */
        long inversions(List<UUID> accepted) {
            Map<String, Integer> position = new HashMap<>();
            int i = 0;
            for (String id : types.keySet()) {
                position.put(id, i++);
            }
            long inversions = 0;
            int last = -1;
            for (UUID id : accepted) {
                Integer at = position.get(id.toString());
                if (at == null) {
                    continue;
                }
                if (at < last) {
                    inversions++;
                }
                last = Math.max(last, at);
            }
            return inversions;
        }
    }

    private static Set<UUID> eventIds(Connection sql, UUID group, List<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        try (PreparedStatement query =
                sql.prepareStatement("SELECT id FROM ingest.events WHERE group_id = ?" + " AND id = ANY(?)")) {
            query.setObject(1, group);
            query.setArray(2, sql.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return found;
    }

    static long count(Connection sql, String query, UUID group) throws SQLException {
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            statement.setObject(1, group);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long countIn(Connection sql, String query, List<String> ids) throws SQLException {
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            Array array = sql.createArrayOf("text", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Map<String, Long> counts(Connection sql, String query, UUID group) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            statement.setObject(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
