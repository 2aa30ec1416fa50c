package dev.strata.benchmark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.strata.model.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What a second replica of quota-service and of metrics-service adds, on the running local stack. Not in the
 * default run: {@code benchmark/run.sh instances}.
 *
 * <p>Two phases, the same work in each: first with the stack's one replica of each service, then with a second
 * one started beside it ({@link SecondInstance}) once both consumer groups have rebalanced over the two (Kafka's
 * AdminClient: stable, two members, each owning partitions). Each phase
 * <ol>
 *   <li>runs a paced load (MetricsSuite's lag load: {@code events:batch} of 500 and {@code things:batch} of 100 at a
 *       fixed rate) and reads the event-to-counter lag p99 of quota-service (a window opened on every replica) and
 *       the projection lag p99 of metrics-service ({@code ?since=} the load's start, from every replica);</li>
 *   <li>times how fast the consumers apply a backlog: with every replica's stream consumer paused, N events (and a
 *       thing per ten events) are written through ingest; once ingest's relay has published them all, the
 *       consumers are resumed and timed until each service's committed positions ({@code stream_positions},
 *       moved in the transaction that applies a batch, whichever replica applied it) reach the topic's end;</li>
 *   <li>checks that quota-service's counters of every group it wrote equal what was written and that
 *       metrics-service's group metrics equal raw SQL over ingest's tables ({@link RawMetrics}), and fails if not.</li>
 * </ol>
 * A group's events all go to one partition (they are keyed by group id), so one replica applies all of a group's
 * events: the load writes into one group per partition ("lanes"), so that every partition, and so every replica,
 * has work.
 *
 * <p>Settings: {@code STRATA_BENCH_INSTANCES_SECONDS} (30: the timed load), {@code
 * STRATA_BENCH_INSTANCES_WARMUP_SECONDS} (10: the same load untimed first), {@code STRATA_BENCH_INSTANCES_EVENTS}
 * (200,000: the paused backlog's events), {@code STRATA_BENCH_INSTANCES_LAG_EVENTS} (5,000 events/s) and {@code
 * STRATA_BENCH_INSTANCES_LAG_THINGS} (500 things/s). The second replicas are started from {@code strata.root}'s
 * packaged jars with {@code $STRATA_HOME/service.env}, and stopped at the end.
 */
final class InstancesSuite implements Benchmark.Suite {

    /** The services compared; the second replica of each is started in this order. */
    private static final List<String> MODULES = List.of("quota-service", "metrics-service");

    private static final int EVENT_BATCH = 500;
    private static final int THING_BATCH = 100;
    private static final int BACKLOG_EVENT_BATCH = 1000;
    private static final int BACKLOG_WRITERS = 4;
    /** Things of the backlog per event: the lag load's mix (5,000 events and 500 things a second). */
    private static final int EVENTS_PER_THING = 10;

    private static final Duration APPLY_LIMIT = Duration.ofMinutes(30);
    private static final Duration REBALANCE_LIMIT = Duration.ofMinutes(2);

    private Stack stack;
    private EventTopic topic;
    private int partitions;
    private int seconds;
    private int warmUpSeconds;
    private int backlogEvents;
    private int eventsPerSecond;
    private int thingsPerSecond;

    /**
     * A group of the benchmark whose events all go to {@code partition}, the things its events name, and what was
     * written to it (things, and of them the person-like ones quota-service counts as users).
     */
    private record Lane(
            UUID group,
            int partition,
            List<String> creators,
            List<String> users,
            List<String> content,
            AtomicLong things,
            AtomicLong people) {}

    /** A paced load as sent: events and things written, over {@code seconds}. */
    private record Load(long events, long things, double seconds) {

        double rate() {
            return (events + things) / seconds;
        }
    }

    /**
     * A lag merged over the replicas: events summed; the percentiles are the highest of the replicas' own (the
     * endpoints answer percentiles, not distributions); {@code perReplica} says what each replica reported.
     */
    private record Lag(long events, double p50, double p95, double p99, String perReplica) {}

    /** The paused backlog: what was written, and how long each service took to apply its records. */
    private record Backlog(
            long events,
            long things,
            double writeSeconds,
            long quotaRecords,
            double quotaSeconds,
            long metricsRecords,
            double metricsSeconds) {

        double quotaRate() {
            return quotaRecords / quotaSeconds;
        }

        double metricsRate() {
            return metricsRecords / metricsSeconds;
        }
    }

    private record Phase(int instances, Load load, Lag quotaLag, Lag metricsLag, Backlog backlog) {}

    @Override
    public void run(Stack stack, Report report) throws Exception {
        this.stack = stack;
        seconds = Integer.parseInt(Stack.env("STRATA_BENCH_INSTANCES_SECONDS", "30"));
        warmUpSeconds = Integer.parseInt(Stack.env("STRATA_BENCH_INSTANCES_WARMUP_SECONDS", "10"));
        backlogEvents = Integer.parseInt(Stack.env("STRATA_BENCH_INSTANCES_EVENTS", "200000"));
        eventsPerSecond = Integer.parseInt(Stack.env("STRATA_BENCH_INSTANCES_LAG_EVENTS", "5000"));
        thingsPerSecond = Integer.parseInt(Stack.env("STRATA_BENCH_INSTANCES_LAG_THINGS", "500"));
        Path root =
                Path.of(System.getProperty("strata.root", ".")).toAbsolutePath().normalize();
        Path home =
                Path.of(Stack.env("STRATA_HOME", ".strata")).toAbsolutePath().normalize();
        Map<String, String> serviceEnv = SecondInstance.serviceEnvironment(home.resolve("service.env"));
        String bootstrap = serviceEnv.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null) {
            throw new IllegalStateException(home.resolve("service.env") + " names no KAFKA_BOOTSTRAP_SERVERS");
        }
        Map<String, String> consumerGroups = new HashMap<>();
        for (String module : MODULES) {
            consumerGroups.put(module, consumerGroup(root, module, serviceEnv));
        }

        try (EventTopic events = new EventTopic(bootstrap)) {
            topic = events;
            partitions = topic.partitions();
            if (partitions < 2) {
                throw new IllegalStateException("the event topic has " + partitions + " partition: a second replica"
                        + " would own none (STRATA_KAFKA_PARTITIONS of deploy/local/run.sh sets it for a new topic)");
            }
            for (String module : MODULES) { // the comparison starts from one replica of each
                topic.awaitBalanced(consumerGroups.get(module), 1, Duration.ofSeconds(30));
            }

            Phase one = phase(1, List.of(stack.quota), List.of(stack.metrics));
            rows(report, one, null);

            List<SecondInstance> second = new CopyOnWriteArrayList<>();
            Thread stopOnExit = new Thread(() -> second.forEach(SecondInstance::close), "instances-stop-second");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try {
                for (String module : MODULES) {
                    second.add(SecondInstance.start(module, root, home, serviceEnv));
                }
                for (SecondInstance instance : second) {
                    instance.awaitReady();
                }
                List<String> groups = new ArrayList<>();
                for (String module : MODULES) {
                    groups.add(topic.awaitBalanced(consumerGroups.get(module), 2, REBALANCE_LIMIT)
                            .toString());
                }
                String assignment = String.join("; ", groups);
                Benchmark.say("rebalanced: " + assignment);
                Phase two = phase(
                        2,
                        List.of(stack.quota, second.get(0).base()),
                        List.of(stack.metrics, second.get(1).base()));
                rows(report, two, one);
                notes(report, one, two, assignment, second);
            } finally {
                second.forEach(SecondInstance::close);
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook stops them too
                }
                for (String module : MODULES) { // leave the stack as found: one replica owning every partition
                    try {
                        topic.awaitBalanced(consumerGroups.get(module), 1, REBALANCE_LIMIT);
                    } catch (IllegalStateException e) {
                        Benchmark.say(e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * The consumer group of a service's event-stream consumer: {@code mp.messaging.incoming.events-in.group.id} of
     * its {@code application.properties}, unless {@code service.env} overrides it.
     */
    private static String consumerGroup(Path root, String module, Map<String, String> serviceEnv) {
        String override = serviceEnv.get("MP_MESSAGING_INCOMING_EVENTS_IN_GROUP_ID");
        if (override != null) {
            return override;
        }
        Path file = root.resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (is strata.root the repository?)", e);
        }
        String group = properties.getProperty("mp.messaging.incoming.events-in.group.id");
        if (group == null) {
            throw new IllegalStateException(file + " sets no mp.messaging.incoming.events-in.group.id");
        }
        return group;
    }

    // ---- one phase ----------------------------------------------------------------------------------------

    private Phase phase(int instances, List<String> quotas, List<String> metrics) throws Exception {
        Benchmark.say("== instances: " + instances + " of quota-service and of metrics-service");
        List<Lane> lanes = lanes(instances);
        load(lanes, warmUpSeconds); // JIT, pools: the second replicas have just started
        awaitApplied(lanes);
        Benchmark.quiesce(stack);

        Map<String, String> opened = new HashMap<>();
        for (String quota : quotas) {
            opened.put(
                    quota,
                    Stack.JSON
                            .readTree(stack.post(quota + "/admin/quotas/lag/window", "", 200)
                                    .body())
                            .path("openedAt")
                            .asText());
        }
        Instant since = Instant.now();
        Load load = load(lanes, seconds);
        awaitApplied(lanes);
        Lag quotaLag = quotaLag(quotas, opened);
        Lag metricsLag = metricsLag(metrics, since);

        Benchmark.quiesce(stack);
        Backlog backlog = backlog(lanes, quotas, metrics);
        check(lanes, instances);
        return new Phase(instances, load, quotaLag, metricsLag, backlog);
    }

    /**
     * One new group per partition of the topic (groups are created until each partition has one; the spare ones stay
     * empty), each seeded with 10 creators, 200 users and 200 pieces of content for its events to name.
     */
    private List<Lane> lanes(int instances) throws Exception {
        Map<Integer, UUID> byPartition = new TreeMap<>();
        int created = 0;
        while (byPartition.size() < partitions) {
            if (created == 30 * partitions) {
                throw new IllegalStateException(created + " new groups cover only partitions " + byPartition.keySet());
            }
            UUID group = stack.createGroup("benchmark instances " + instances, "enterprise");
            created++;
            byPartition.putIfAbsent(EventTopic.partitionOf(group, partitions), group);
        }
        List<Lane> lanes = new ArrayList<>();
        for (Map.Entry<Integer, UUID> entry : byPartition.entrySet()) {
            UUID group = entry.getValue();
            String things = stack.ingest + "/groups/" + group + "/things:batch";
            List<String> creators = Stack.createdIds(
                    stack.postRetrying(things, MetricsSuite.thingsBody("creator", 10, "creator", 0), null));
            List<String> users =
                    Stack.createdIds(stack.postRetrying(things, MetricsSuite.thingsBody("user", 200, "user", 0), null));
            List<String> content = Stack.createdIds(stack.postRetrying(things, MetricsSuite.contentBody(200), null));
            lanes.add(new Lane(
                    group,
                    entry.getKey(),
                    creators,
                    users,
                    content,
                    new AtomicLong(creators.size() + users.size() + content.size()),
                    new AtomicLong(creators.size() + users.size())));
        }
        Benchmark.say(String.format(
                Locale.ROOT,
                "%d lanes (one group per partition, %d groups created): %s",
                lanes.size(),
                created,
                lanes.stream().map(l -> l.partition() + "=" + l.group()).collect(Collectors.joining(" "))));
        return lanes;
    }

    /** The paced load: each batch goes to the next lane in turn, so every partition takes the same share. */
    private Load load(List<Lane> lanes, int loadSeconds) throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong things = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        long start = System.nanoTime();
        long end = start + loadSeconds * 1_000_000_000L;
        Thread thingLoad =
                MetricsSuite.paced("instances-things", end, 1e9 * THING_BATCH / thingsPerSecond, failed, n -> {
                    Lane lane = lanes.get((int) (n % lanes.size()));
                    writeUsers(lane, THING_BATCH, "load user", (int) n * THING_BATCH);
                    things.addAndGet(THING_BATCH);
                });
        Thread eventLoad =
                MetricsSuite.paced("instances-events", end, 1e9 * EVENT_BATCH / eventsPerSecond, failed, n -> {
                    writeEvents(lanes.get((int) (n % lanes.size())), EVENT_BATCH, n);
                    events.addAndGet(EVENT_BATCH);
                });
        thingLoad.start();
        eventLoad.start();
        thingLoad.join();
        eventLoad.join();
        if (failed.get()) {
            throw new IllegalStateException("the load failed; see above");
        }
        return new Load(events.get(), things.get(), (System.nanoTime() - start) / 1e9);
    }

    private void writeUsers(Lane lane, int n, String label, int from) throws Exception {
        String url = stack.ingest + "/groups/" + lane.group() + "/things:batch";
        int created = Stack.createdIds(stack.postRetrying(url, MetricsSuite.thingsBody("user", n, label, from), null))
                .size();
        lane.things().addAndGet(created);
        lane.people().addAndGet(created);
    }

    private void writeEvents(Lane lane, int n, long seed) throws Exception {
        String body = MetricsSuite.eventsBody(
                new Random(seed), n, Instant.now(), lane.creators(), lane.users(), lane.content());
        JsonNode answer = Stack.JSON.readTree(
                stack.postRetrying(stack.ingest + "/groups/" + lane.group() + "/events:batch", body, null)
                        .body());
        if (answer.path("summary").path("success").asLong() != n) {
            throw new IllegalStateException("an events batch was not written whole: " + answer.path("summary"));
        }
    }

    // ---- lag ----------------------------------------------------------------------------------------------

    /** Each quota replica's window (of every group: the lanes are several) as opened before the load. */
    private Lag quotaLag(List<String> quotas, Map<String, String> opened) throws Exception {
        List<JsonNode> windows = new ArrayList<>();
        for (String quota : quotas) {
            JsonNode window = stack.getJson(quota + "/admin/quotas/lag").path("window");
            if (!opened.get(quota).equals(window.path("openedAt").asText())) {
                throw new IllegalStateException(quota + "'s lag window is not the one the benchmark opened: " + window);
            }
            windows.add(window);
        }
        return merge("quota", quotas, windows);
    }

    private Lag metricsLag(List<String> metrics, Instant since) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        for (String service : metrics) {
            answers.add(stack.getJson(service + "/admin/projections/lag?since=" + since));
        }
        return merge("metrics", metrics, answers);
    }

    /**
     * Both endpoints answer one replica's percentiles, not its distribution: the merged p99 is the highest of the
     * replicas' p99s. That bounds the p99 of all their events from above (each replica has at most 1% of its events
     * above its own p99) and equals it with one replica. A replica that applied none of the load is listed with 0.
     */
    private static Lag merge(String service, List<String> replicas, List<JsonNode> answers) {
        long events = 0;
        double p50 = Double.NaN;
        double p95 = Double.NaN;
        double p99 = Double.NaN;
        List<String> each = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            JsonNode answer = answers.get(i);
            long n = answer.path("events").asLong();
            events += n;
            if (n > 0) {
                p50 = max(p50, answer.path("p50Ms").asDouble(Double.NaN));
                p95 = max(p95, answer.path("p95Ms").asDouble(Double.NaN));
                p99 = max(p99, answer.path("p99Ms").asDouble(Double.NaN));
            }
            each.add(String.format(
                    Locale.ROOT,
                    "%s %,d events p99 %s ms max %s ms",
                    replicas.get(i),
                    n,
                    answer.path("p99Ms").asText(),
                    answer.path("maxMs").asText()));
        }
        if (events == 0) {
            throw new IllegalStateException(service + "-service reports no lag for the load: " + answers);
        }
        return new Lag(events, p50, p95, p99, String.join(", ", each));
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    // ---- applying a paused backlog ------------------------------------------------------------------------

    /**
     * Pauses every replica's stream consumer, writes the backlog through ingest (events:batch of 1,000 and a
     * things:batch of 100 per 1,000 events, spread over the lanes by four writers), waits until ingest's relay has
     * published it all, then resumes them and times each service until its committed positions reach the topic's end
     * on every partition. The records counted are those behind each service's positions when it resumed.
     */
    private Backlog backlog(List<Lane> lanes, List<String> quotas, List<String> metrics) throws Exception {
        List<String> consumers = new ArrayList<>(quotas);
        consumers.addAll(metrics);
        long events = 0;
        long things = 0;
        long writeNanos;
        Map<Integer, Long> targets;
        long quotaRecords;
        long metricsRecords;
        long start;
        // An interrupted run must not leave the stack's consumers paused.
        Thread resumeOnExit = new Thread(() -> resume(consumers), "instances-resume-consumers");
        Runtime.getRuntime().addShutdownHook(resumeOnExit);
        try (Connection db = stack.jdbc()) {
            try {
                for (String service : consumers) {
                    stack.post(service + "/admin/stream-consumer/pause", "{}", 200);
                }
                ExecutorService writers = Executors.newFixedThreadPool(BACKLOG_WRITERS);
                long writeStart = System.nanoTime();
                try {
                    List<Future<?>> sent = new ArrayList<>();
                    int thingBatches = 0;
                    for (int b = 0; (long) b * BACKLOG_EVENT_BATCH < backlogEvents; b++) {
                        int n = Math.min(BACKLOG_EVENT_BATCH, backlogEvents - b * BACKLOG_EVENT_BATCH);
                        Lane lane = lanes.get(b % lanes.size());
                        long seed = 1_000_000L + b;
                        sent.add(writers.submit(() -> {
                            writeEvents(lane, n, seed);
                            return null;
                        }));
                        events += n;
                        for (; (long) thingBatches * THING_BATCH * EVENTS_PER_THING < events; thingBatches++) {
                            Lane thingLane = lanes.get(thingBatches % lanes.size());
                            int from = thingBatches * THING_BATCH;
                            sent.add(writers.submit(() -> {
                                writeUsers(thingLane, THING_BATCH, "backlog user", from);
                                return null;
                            }));
                            things += THING_BATCH;
                        }
                    }
                    for (Future<?> batch : sent) {
                        batch.get();
                    }
                } finally {
                    writers.shutdownNow();
                }
                writeNanos = System.nanoTime() - writeStart;
                targets = published(db, lanes);
                quotaRecords = behind(targets, positions(db, "quota"));
                metricsRecords = behind(targets, positions(db, "metrics"));
                start = System.nanoTime();
            } finally { // resuming a consumer that is not paused changes nothing
                for (String service : consumers) {
                    stack.post(service + "/admin/stream-consumer/resume", "{}", 200);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(resumeOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook resumes them too
                }
            }
            long quotaNanos = -1;
            long metricsNanos = -1;
            long deadline = start + APPLY_LIMIT.toNanos();
            while (quotaNanos < 0 || metricsNanos < 0) {
                if (quotaNanos < 0 && behind(targets, positions(db, "quota")) == 0) {
                    quotaNanos = System.nanoTime() - start;
                }
                if (metricsNanos < 0 && behind(targets, positions(db, "metrics")) == 0) {
                    metricsNanos = System.nanoTime() - start;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the consumers did not apply the backlog within " + APPLY_LIMIT
                            + ": quota " + positions(db, "quota") + ", metrics " + positions(db, "metrics")
                            + ", topic " + targets);
                }
                Thread.sleep(20);
            }
            return new Backlog(
                    events,
                    things,
                    writeNanos / 1e9,
                    quotaRecords,
                    quotaNanos / 1e9,
                    metricsRecords,
                    metricsNanos / 1e9);
        }
    }

    /** Resumes the consumers, as far as they answer: for a run that ends while they are paused. */
    private void resume(List<String> consumers) {
        for (String service : consumers) {
            try {
                stack.post(service + "/admin/stream-consumer/resume", "{}", 200);
            } catch (IOException | RuntimeException e) {
                Benchmark.say("could not resume " + service + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until both services have applied everything of the lanes' groups: ingest's relay has published it (none
     * of their rows is left in its outbox) and each service's committed positions reach where the topic then ends.
     */
    private void awaitApplied(List<Lane> lanes) throws Exception {
        try (Connection db = stack.jdbc()) {
            Map<Integer, Long> targets = published(db, lanes);
            long deadline = System.nanoTime() + APPLY_LIMIT.toNanos();
            while (behind(targets, positions(db, "quota")) + behind(targets, positions(db, "metrics")) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the consumers did not catch up within " + APPLY_LIMIT);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Waits until ingest's outbox holds no event of the lanes' groups; answers the topic's end offsets then. */
    private Map<Integer, Long> published(Connection db, List<Lane> lanes) throws Exception {
        Array groups = db.createArrayOf("uuid", lanes.stream().map(Lane::group).toArray());
        long deadline = System.nanoTime() + APPLY_LIMIT.toNanos();
        try (PreparedStatement left =
                db.prepareStatement("SELECT count(*) FROM ingest.outbox WHERE group_id = ANY(?)")) {
            left.setArray(1, groups);
            while (true) {
                try (ResultSet rows = left.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        return topic.endOffsets(partitions);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "ingest's relay did not publish the benchmark's events within " + APPLY_LIMIT);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * A service's next offset to apply per partition of the event topic, from its {@code stream_positions}: moved
     * in the transaction that applies a batch, whichever replica applied it.
     */
    private static Map<Integer, Long> positions(Connection db, String schema) throws SQLException {
        Map<Integer, Long> positions = new TreeMap<>();
        try (PreparedStatement query = db.prepareStatement(
                "SELECT kafka_partition, next_offset FROM " + schema + ".stream_positions WHERE topic = ?")) {
            query.setString(1, Topics.EVENTS);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    positions.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        return positions;
    }

    /** Records between the positions and the targets, over every partition (a missing position is 0). */
    private static long behind(Map<Integer, Long> targets, Map<Integer, Long> positions) {
        long behind = 0;
        for (Map.Entry<Integer, Long> target : targets.entrySet()) {
            behind += Math.max(0, target.getValue() - positions.getOrDefault(target.getKey(), 0L));
        }
        return behind;
    }

    // ---- exactness ----------------------------------------------------------------------------------------

    /**
     * Every lane's quota counters (entities, users, connections) against what the phase wrote to it, and its group
     * metrics against raw SQL over ingest's tables; any difference stops the benchmark.
     */
    private void check(List<Lane> lanes, int instances) throws Exception {
        ObjectReader exact = Stack.JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        List<String> wrong = new ArrayList<>();
        try (Connection db = stack.jdbc();
                RawMetrics raw = new RawMetrics(db)) {
            for (Lane lane : lanes) {
                JsonNode quotas = stack.getJson(stack.quota + "/groups/" + lane.group() + "/quotas")
                        .path("quotas");
                String counted = String.format(
                        Locale.ROOT,
                        "entities=%d users=%d connections=%d",
                        quotas.path("entities_total").path("current").asLong(),
                        quotas.path("users").path("current").asLong(),
                        quotas.path("connections_total").path("current").asLong());
                String written = String.format(
                        Locale.ROOT,
                        "entities=%d users=%d connections=0",
                        lane.things().get(),
                        lane.people().get());
                if (!counted.equals(written)) {
                    wrong.add("quota, group " + lane.group() + ": counters " + counted + ", written " + written);
                }
                JsonNode computed = exact.readTree(
                                stack.get(stack.metrics + "/groups/" + lane.group() + "/metrics", 200)
                                        .body())
                        .path("_computed");
                String strata = RawMetrics.groupLine(computed);
                String sql = raw.group(lane.group(), Instant.now());
                if (!strata.equals(sql)) {
                    wrong.add("metrics, group " + lane.group() + ": " + strata + ", raw SQL " + sql);
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("with " + instances + " replica(s) of each, Strata's figures differ from"
                    + " what was written:\n  " + String.join("\n  ", wrong));
        }
        Benchmark.say("exact: quota's counters and metrics' group metrics of all " + lanes.size() + " lanes");
    }

    // ---- report -------------------------------------------------------------------------------------------

    /** The phase's four rows; with {@code before} (the one-replica phase), the ratio to it. */
    private static void rows(Report report, Phase phase, Phase before) {
        String replicas = phase.instances() == 1 ? "1 instance" : phase.instances() + " instances";
        String rate = String.format(Locale.ROOT, "%,.0f ev/s", phase.load().rate());
        lagRow(report, "quota lag, " + replicas, phase.quotaLag(), rate, before == null ? null : before.quotaLag());
        lagRow(
                report,
                "metrics lag, " + replicas,
                phase.metricsLag(),
                rate,
                before == null ? null : before.metricsLag());
        Backlog b = phase.backlog();
        applyRow(
                report,
                "quota applies backlog, " + replicas,
                b.quotaRecords(),
                b.quotaSeconds(),
                before == null ? Double.NaN : b.quotaRate() / before.backlog().quotaRate());
        applyRow(
                report,
                "metrics applies backlog, " + replicas,
                b.metricsRecords(),
                b.metricsSeconds(),
                before == null ? Double.NaN : b.metricsRate() / before.backlog().metricsRate());
    }

    private static void lagRow(Report report, String scenario, Lag lag, String rate, Lag before) {
        report.add(new Report.Row(
                scenario,
                (int) Math.min(Integer.MAX_VALUE, lag.events()),
                lag.p50(),
                lag.p95(),
                lag.p99(),
                rate,
                Double.NaN,
                before == null ? "" : String.format(Locale.ROOT, "p99 %.2fx 1 inst", lag.p99() / before.p99()),
                "",
                null));
    }

    private static void applyRow(Report report, String scenario, long records, double secs, double ratio) {
        report.add(new Report.Row(
                scenario,
                1,
                secs * 1000,
                Double.NaN,
                Double.NaN,
                String.format(Locale.ROOT, "%,.0f rec/s", records / secs),
                Double.NaN,
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "rate %.2fx 1 inst", ratio),
                "",
                null));
    }

    private void notes(Report report, Phase one, Phase two, String assignment, List<SecondInstance> second) {
        report.note(String.format(
                Locale.ROOT,
                "instances: the event topic has %d partitions and a group's events all go to one of them (keyed by"
                        + " group id), so one replica applies all of a group's events and a consumer group spreads"
                        + " partitions, not events, over its replicas (never more replicas with work than partitions)."
                        + " Each phase writes into %d new groups, one per partition, in turn. With two replicas: %s."
                        + " The second replicas are the packaged jars started with $STRATA_HOME/service.env,"
                        + " -Xms%s -Xmx%s like deploy/local's (logs %s).",
                partitions,
                partitions,
                assignment,
                SecondInstance.HEAP,
                SecondInstance.HEAP,
                second.stream().map(s -> s.log().toString()).collect(Collectors.joining(", "))));
        report.note(String.format(
                Locale.ROOT,
                "instances, lag: %d s of paced batches (events:batch of %d at %,d events/s, things:batch of %d at"
                        + " %,d things/s, over the groups in turn) after %d s of the same untimed. quota lag ="
                        + " quota-service's event-to-counter lag over a window opened on every replica before the"
                        + " load (every group's events timed from then on; event time stamped by ingest to quota's"
                        + " commit); metrics lag = metrics-service's publication-to-commit lag ?since= the load's"
                        + " start, per replica. Both endpoints give one replica's percentiles, not its distribution,"
                        + " so with two replicas p50/p95/p99 are the highest of the two (an upper bound of the p99"
                        + " over all their events; each replica has at most 1%% of its events above its own p99)."
                        + " 1 instance: quota %s; metrics %s. 2 instances: quota %s; metrics %s.",
                seconds,
                EVENT_BATCH,
                eventsPerSecond,
                THING_BATCH,
                thingsPerSecond,
                warmUpSeconds,
                one.quotaLag().perReplica(),
                one.metricsLag().perReplica(),
                two.quotaLag().perReplica(),
                two.metricsLag().perReplica()));
        report.note(String.format(
                Locale.ROOT,
                "instances, backlog: every replica's stream consumer paused (POST /admin/stream-consumer/pause),"
                        + " %,d events and %,d things written through ingest (%.1f s with 1 replica, %.1f s with 2),"
                        + " ingest's relay let finish, then the consumers resumed and timed until the service's"
                        + " stream_positions (committed with the effects, by whichever replica) reached the topic's end"
                        + " on every partition. rec/s = topic records behind the service at resume / that time (the"
                        + " events, a thing_created per thing, a batch_import per things batch; quota reads every"
                        + " record and counts only things, metrics projects them all).",
                one.backlog().events(),
                one.backlog().things(),
                one.backlog().writeSeconds(),
                two.backlog().writeSeconds()));
        report.note(String.format(
                Locale.ROOT,
                "instances, CPU: this machine has %d cores, and the whole stack (four services, Kafka, PostgreSQL,"
                        + " S3Proxy) runs on them: a second JVM of a service competes with the first, and with"
                        + " PostgreSQL, for the same CPU. It helps here only as far as the first replica was waiting"
                        + " (on commits, fetches) rather than computing; where each replica has cores of its own the"
                        + " second adds its share of the partitions. After each phase quota's counters (entities,"
                        + " users, connections) of every group it wrote equal what was written and metrics' group"
                        + " metrics equal raw SQL over ingest's tables (the suite fails otherwise).",
                Runtime.getRuntime().availableProcessors()));
    }
}
