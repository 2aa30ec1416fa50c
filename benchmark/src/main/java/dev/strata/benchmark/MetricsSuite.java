package dev.strata.benchmark;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * metrics-service on a group of 1,000,000 events: creator stats and group metrics latency over HTTP beside the
 * same aggregates computed by raw SQL over ingest's tables (its events table, things, connections and knowledge) in
 * the same run, then the projection lag while ingest takes a paced load of things and events batches.
 *
 * <p>The group is loaded through ingest-service ({@code events:batch} of 10,000, each with an Idempotency-Key so
 * a batch retried after ingest restarts writes nothing twice). Loading takes minutes: {@code
 * STRATA_BENCH_METRICS_GROUP=<uuid>} reuses a group loaded earlier ({@code latest}: the newest one this suite
 * loaded completely). The lag load writes into a small group of its own, so a reused group stays as loaded. Other
 * settings: {@code STRATA_BENCH_METRICS_EVENTS} (1,000,000), {@code STRATA_BENCH_METRICS_READS}
 * (500 timed reads per endpoint), {@code STRATA_BENCH_METRICS_LAG_SECONDS} (30), {@code
 * STRATA_BENCH_METRICS_LAG_EVENTS} (events per second of the lag load, 5,000, in batches of 500) and {@code
 * STRATA_BENCH_METRICS_LAG_THINGS} (things per second, 500, in batches of 100).
 */
final class MetricsSuite implements Benchmark.Suite {

    /** Name prefix of the groups this suite loads; the number of events follows. */
    private static final String GROUP_NAME = "benchmark metrics ";

    private static final String STAR = "star creator";
    private static final int BATCH = 10_000;
    private static final int CREATORS = 100;
    private static final int USERS = 20_000;
    private static final int CONTENT = 10_000;
    private static final String[] CONTENT_TYPES = {"blog_post", "video", "podcast", "course"};
    private static final String[] ACTIONS = {"viewed", "viewed", "viewed", "liked", "shared"};
    static final String[] PEOPLE = {"user", "creator"};
    static final String[] CONTENT_LIKE = {
        "blog_post", "article", "newsletter", "video", "podcast", "image", "course", "lesson", "document"
    };
    /** metrics-service's {@code strata.metrics.non-activity-types}: stream facts that are not activity events. */
    static final String[] NON_ACTIVITY = {
        "thing_created",
        "connection_created",
        "knowledge_created",
        "group_created",
        "group_plan_changed",
        "api_call",
        "quota_threshold_crossed",
        "events_archived"
    };

    /** The loaded group and the creator whose stats are read. */
    record Scenario(UUID group, UUID creator) {}

    @Override
    public void run(Stack stack, Report report) throws Exception {
        int events = Integer.parseInt(Stack.env("STRATA_BENCH_METRICS_EVENTS", "1000000"));
        int reads = Integer.parseInt(Stack.env("STRATA_BENCH_METRICS_READS", "500"));
        String reuse = Stack.env("STRATA_BENCH_METRICS_GROUP", "");
        try (Connection sql = stack.jdbc()) {
            Scenario scenario = reuse.isEmpty() ? load(stack, report, events) : existing(sql, reuse, events);
            Benchmark.say("metrics benchmark group " + scenario.group() + ", creator " + scenario.creator());
            compare(stack, sql, scenario, report);
            reads(stack, sql, scenario, report, reads);
            lagUnderLoad(stack, report);
        }
    }

    // ---- loading ------------------------------------------------------------------------------------------

    private Scenario load(Stack stack, Report report, int events) throws Exception {
        long start = System.nanoTime();
        UUID group = stack.createGroup(GROUP_NAME + events, "enterprise");
        Benchmark.say("loading metrics group " + group);
        Population population = populate(stack, group);
        List<String> creators = population.creators();
        List<String> users = population.users();
        List<String> content = population.content();
        int connections = population.connections();
        long thingsDone = System.nanoTime();

        Instant now = Instant.now();
        Stats batches = new Stats();
        String position = null;
        String url = stack.ingest + "/groups/" + group + "/events:batch";
        for (int b = 0; b * BATCH < events; b++) {
            String body = eventsBody(new Random(b), Math.min(BATCH, events - b * BATCH), now, creators, users, content);
            long t = System.nanoTime();
            HttpResponse<String> answer = stack.postRetrying(url, body, group + "-e" + b);
            batches.add(System.nanoTime() - t);
            position = Stack.JSON.readTree(answer.body()).path("position").asText(null);
            if (b % 10 == 9) {
                Benchmark.say(String.format(Locale.ROOT, "  %,d events written", (b + 1L) * BATCH));
            }
        }
        long eventsDone = System.nanoTime();
        awaitApplied(stack, group, position, Duration.ofMinutes(30));
        long applied = System.nanoTime();
        double eventSeconds = (eventsDone - thingsDone) / 1e9;
        report.add(new Report.Row(
                "load: events:batch 10000",
                batches.runs(),
                batches.median(),
                batches.p95(),
                batches.p99(),
                String.format(Locale.ROOT, "%,.0f rows/s", events / eventSeconds),
                Double.NaN,
                "",
                "",
                null));
        report.note(String.format(
                Locale.ROOT,
                "metrics load: %,d things and %,d connections in %.1f s; %,d events"
                        + " in %.1f s (%,.0f events/s through ingest); metrics-service had applied everything %.1f s"
                        + " after the first event batch (%,.0f events/s end to end); total %.0f s",
                CREATORS + USERS + CONTENT,
                connections,
                (thingsDone - start) / 1e9,
                events,
                eventSeconds,
                events / eventSeconds,
                (applied - thingsDone) / 1e9,
                events / ((applied - thingsDone) / 1e9),
                (applied - start) / 1e9));
        return new Scenario(group, UUID.fromString(creators.get(0)));
    }

    /** The things of a loaded group by kind (ids in creation order; creators[0] is the star) and its connections. */
    record Population(List<String> creators, List<String> users, List<String> content, int connections) {}

    /**
     * Creates the group's creators, users and content through ingest, renames creators[0] to the star, and
     * connects them ({@link #connect}). Every batch carries an Idempotency-Key derived from the group.
     */
    static Population populate(Stack stack, UUID group) throws IOException, InterruptedException {
        String things = stack.ingest + "/groups/" + group + "/things:batch";
        List<String> creators = Stack.createdIds(
                stack.postRetrying(things, thingsBody("creator", CREATORS, "creator", 0), group + "-c"));
        List<String> users = new ArrayList<>(USERS);
        for (int from = 0; from < USERS; from += BATCH) {
            users.addAll(Stack.createdIds(stack.postRetrying(
                    things, thingsBody("user", Math.min(BATCH, USERS - from), "user", from), group + "-u" + from)));
        }
        List<String> content = Stack.createdIds(stack.postRetrying(things, contentBody(CONTENT), group + "-k"));
        // The creator whose stats are read is creators[0], renamed so a later run can find it.
        stack.send(
                HttpRequest.newBuilder(URI.create(things))
                        .header("Content-Type", "application/json")
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString("{\"items\":[{\"id\":\"" + creators.get(0)
                                        + "\",\"name\":\"" + STAR + "\"}]}")),
                200);
        int connections = connect(stack, group, creators, users, content);
        return new Population(creators, users, content, connections);
    }

    /** Follows (people to creators), authorship (creators to content) and participation (people in content). */
    private static int connect(Stack stack, UUID group, List<String> creators, List<String> users, List<String> content)
            throws IOException, InterruptedException {
        List<String[]> edges = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) { // the star authors 1 in 20, the others share the rest
            String author = i % 20 == 0 ? creators.get(0) : creators.get(1 + i % (CREATORS - 1));
            edges.add(new String[] {author, content.get(i), "authored"});
        }
        for (int u = 0; u < users.size(); u++) {
            int a = 1 + (u * 7) % (CREATORS - 1);
            int b = 1 + (u * 13 + 5) % (CREATORS - 1);
            if (u % 4 == 0) {
                edges.add(new String[] {users.get(u), creators.get(0), "following"});
            }
            edges.add(new String[] {users.get(u), creators.get(a), "following"});
            if (b != a) {
                edges.add(new String[] {users.get(u), creators.get(b), "following"});
            }
        }
        Random random = new Random(42);
        for (int u = 0; u < users.size(); u++) { // a long tail: a few pieces of content draw most participants
            edges.add(new String[] {users.get(u), content.get(skewed(random, content.size())), "participated_in"});
        }
        String url = stack.ingest + "/groups/" + group + "/connections:batch";
        int created = 0;
        for (int from = 0; from < edges.size(); from += BATCH) {
            StringBuilder body = new StringBuilder("{\"items\":[");
            for (int i = from; i < Math.min(edges.size(), from + BATCH); i++) {
                String[] e = edges.get(i);
                body.append(i == from ? "" : ",")
                        .append("{\"fromThingId\":\"")
                        .append(e[0])
                        .append("\",\"toThingId\":\"")
                        .append(e[1])
                        .append("\",\"relationshipType\":\"")
                        .append(e[2])
                        .append("\"}");
            }
            JsonNode answer = Stack.JSON.readTree(
                    stack.postRetrying(url, body.append("]}").toString(), group + "-n" + from)
                            .body());
            created += answer.path("summary").path("success").asInt();
        }
        return created;
    }

    /**
     * Events of the last 180 days (a tenth in the last 7 days, a little less in the 7 before, so the group trends
     * up): content views by people, logins, revenue of creators (a quarter of it the star's) and payments.
     */
    static String eventsBody(
            Random random, int n, Instant now, List<String> creators, List<String> users, List<String> content) {
        StringBuilder body = new StringBuilder(n * 240).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            double window = random.nextDouble();
            long secondsAgo = window < 0.10
                    ? random.nextInt(7 * 86_400) + 60
                    : window < 0.17 ? 7 * 86_400 + random.nextInt(7 * 86_400) : random.nextInt(180 * 86_400) + 60;
            String at =
                    now.minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MILLIS).toString();
            String user = users.get(random.nextInt(users.size()));
            int kind = random.nextInt(100);
            body.append(i == 0 ? "" : ",");
            if (kind < 60) {
                body.append("{\"type\":\"content_event\",\"actorId\":\"")
                        .append(user)
                        .append("\",\"targetId\":\"")
                        .append(content.get(skewed(random, content.size())))
                        .append("\",\"metadata\":{\"action\":\"")
                        .append(ACTIONS[random.nextInt(ACTIONS.length)])
                        .append("\"}");
            } else if (kind < 80) {
                body.append("{\"type\":\"user_login\",\"actorId\":\"")
                        .append(user)
                        .append('"');
            } else if (kind < 92) {
                String creator = creators.get(random.nextInt(4) == 0 ? 0 : random.nextInt(creators.size()));
                body.append("{\"type\":\"revenue_generated\",\"actorId\":\"")
                        .append(creator)
                        .append("\",\"targetId\":\"")
                        .append(content.get(random.nextInt(content.size())))
                        .append("\",\"metadata\":{\"amount\":")
                        .append(random.nextInt(10_000) / 100.0)
                        .append(",\"currency\":\"USD\"}");
            } else if (kind < 97) {
                body.append("{\"type\":\"payment_event\",\"actorId\":\"")
                        .append(user)
                        .append("\",\"targetId\":\"")
                        .append(creators.get(random.nextInt(creators.size())))
                        .append("\",\"metadata\":{\"amount\":")
                        .append(random.nextInt(5_000) / 100.0)
                        .append('}');
            } else {
                body.append("{\"type\":\"content_event\",\"actorId\":\"")
                        .append(creators.get(0))
                        .append("\",\"targetId\":\"")
                        .append(content.get(random.nextInt(content.size())))
                        .append("\",\"metadata\":{\"action\":\"shared\"}");
            }
            body.append(",\"timestamp\":\"").append(at).append("\"}");
        }
        return body.append("]}").toString();
    }

    /** An index in [0, n) that favours small values (about a quarter of the draws fall in the first 1.6 %). */
    private static int skewed(Random random, int n) {
        return (int) (n * Math.pow(random.nextDouble(), 3));
    }

    static String thingsBody(String type, int n, String label, int from) {
        StringBuilder body = new StringBuilder(n * 90).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"")
                    .append(type)
                    .append("\",\"name\":\"")
                    .append(label)
                    .append(' ')
                    .append(from + i)
                    .append("\",\"status\":\"active\",\"properties\":{\"n\":")
                    .append(from + i)
                    .append("}}");
        }
        return body.append("]}").toString();
    }

    static String contentBody(int n) {
        StringBuilder body = new StringBuilder(n * 110).append("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"")
                    .append(CONTENT_TYPES[i % CONTENT_TYPES.length])
                    .append("\",\"name\":\"piece ")
                    .append(i)
                    .append("\",\"status\":\"published\",\"properties\":")
                    .append("{\"minutes\":")
                    .append(3 + i % 40)
                    .append(",\"tags\":[\"t")
                    .append(i % 17)
                    .append("\"]}}");
        }
        return body.append("]}").toString();
    }

    /**
     * A group loaded earlier by this suite: by id, or with {@code latest} the newest one whose load completed (its
     * client events, the ones with an actor, all reached ingest's events table).
     */
    private Scenario existing(Connection sql, String reuse, int events) throws SQLException {
        UUID group = null;
        if (reuse.equals("latest")) {
            try (PreparedStatement find = sql.prepareStatement("SELECT g.id FROM ingest.groups g WHERE g.name = ?"
                    + " AND (SELECT count(*) FROM ingest.events e WHERE e.group_id = g.id AND e.actor_id IS NOT NULL)"
                    + " = ? ORDER BY g.created_at DESC LIMIT 1")) {
                find.setString(1, GROUP_NAME + events);
                find.setLong(2, events);
                try (ResultSet rows = find.executeQuery()) {
                    if (rows.next()) {
                        group = (UUID) rows.getObject(1);
                    }
                }
            }
            if (group == null) {
                throw new IllegalStateException("no complete group of " + events + " events to reuse;"
                        + " run without STRATA_BENCH_METRICS_GROUP to load one");
            }
        } else {
            group = UUID.fromString(reuse);
        }
        try (PreparedStatement find = sql.prepareStatement(
                "SELECT id FROM ingest.things WHERE group_id = ?" + " AND type = 'creator' AND name = ?")) {
            find.setObject(1, group);
            find.setString(2, STAR);
            try (ResultSet rows = find.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("group " + group + " was not loaded by the metrics suite");
                }
                return new Scenario(group, (UUID) rows.getObject(1));
            }
        }
    }

    // ---- reads --------------------------------------------------------------------------------------------

    /** Strata's answers beside the raw SQL ones, as a check that both compute the same figures. */
    private void compare(Stack stack, Connection sql, Scenario s, Report report) throws Exception {
        report.note("metrics check, Strata vs raw SQL: " + check(stack, sql, s));
    }

    /**
     * Reads creator stats and group metrics from metrics-service and computes the same figures by raw SQL over
     * ingest's tables ({@link RawMetrics}); answers "the same figures: ..." or "DIFFERENT: ..." with both sides
     * where they differ.
     */
    static String check(Stack stack, Connection sql, Scenario s) throws Exception {
        // Sums of money are compared as decimals, as both sides compute them.
        ObjectReader exact = Stack.JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode creator =
                exact.readTree(stack.get(creatorUrl(stack, s), 200).body()).path("_computed");
        JsonNode group =
                exact.readTree(stack.get(metricsUrl(stack, s), 200).body()).path("_computed");
        try (RawMetrics raw = new RawMetrics(sql)) {
            String creatorRaw = raw.creator(s.group(), s.creator());
            String groupRaw = raw.group(s.group(), Instant.now());
            String creatorStrata = String.format(
                    Locale.ROOT,
                    "revenue=%s followers=%d content=%d events=%d" + " byType=%s",
                    creator.path("totalRevenue")
                            .decimalValue()
                            .stripTrailingZeros()
                            .toPlainString(),
                    creator.path("totalFollowers").asLong(),
                    creator.path("contentCount").asLong(),
                    creator.path("totalEvents").asLong(),
                    Stack.JSON.writeValueAsString(creator.path("eventsByType")));
            String groupStrata = RawMetrics.groupLine(group);
            boolean same = creatorRaw.equals(creatorStrata) && groupRaw.equals(groupStrata);
            return (same ? "the same figures" : "DIFFERENT") + ": creator " + creatorStrata
                    + (creatorRaw.equals(creatorStrata) ? "" : " vs raw " + creatorRaw) + "; group " + groupStrata
                    + (groupRaw.equals(groupStrata) ? "" : " vs raw " + groupRaw);
        }
    }

    private void reads(Stack stack, Connection sql, Scenario s, Report report, int runs) throws Exception {
        String creatorUrl = creatorUrl(stack, s);
        String metricsUrl = metricsUrl(stack, s);
        for (int i = 0; i < 50; i++) { // warm-up: JIT, pools, prepared statements
            stack.get(creatorUrl, 200);
            stack.get(metricsUrl, 200);
        }
        Stats creator = timeHttp(stack, creatorUrl, runs);
        Stats group = timeHttp(stack, metricsUrl, runs);
        Stats creatorRaw = new Stats();
        Stats groupRaw = new Stats();
        try (RawMetrics raw = new RawMetrics(sql)) {
            int rawRuns = Math.max(5, runs / 25);
            for (int i = 0; i < rawRuns + 2; i++) {
                long start = System.nanoTime();
                raw.creator(s.group(), s.creator());
                if (i >= 2) {
                    creatorRaw.add(System.nanoTime() - start);
                }
                start = System.nanoTime();
                raw.group(s.group(), Instant.now());
                if (i >= 2) {
                    groupRaw.add(System.nanoTime() - start);
                }
            }
        }
        beside(report, "creator stats (1M-event group)", creator, creatorRaw, "p95 < 10 ms", creator.p95() < 10);
        beside(report, "group metrics (1M-event group)", group, groupRaw, "p95 < 20 ms", group.p95() < 20);
        report.note("metrics reads: " + runs + " sequential GETs per endpoint over HTTP/1.1 after 50 warm-up ones,"
                + " timed from request to the whole body; raw = the same aggregates by one SQL statement over ingest's"
                + " tables (events, things, connections, knowledge; their own indexes only, ingest has none on"
                + " actor_id), " + creatorRaw.runs() + " runs each over JDBC after 2 warm-up ones");
    }

    /** A row beside its raw baseline, like {@link Report#timed}, with the ratio's digits shown when it is tiny. */
    static void beside(Report report, String scenario, Stats strata, Stats raw, String goal, Boolean met) {
        double ratio = strata.median() / raw.median();
        report.add(new Report.Row(
                scenario,
                strata.runs(),
                strata.median(),
                strata.p95(),
                strata.p99(),
                "",
                raw.median(),
                String.format(Locale.ROOT, ratio < 0.01 ? "%.4f" : "%.2f", ratio),
                goal,
                met));
    }

    static Stats timeHttp(Stack stack, String url, int runs) throws IOException, InterruptedException {
        Stats stats = new Stats();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            stack.get(url, 200);
            stats.add(System.nanoTime() - start);
        }
        return stats;
    }

    static String creatorUrl(Stack stack, Scenario s) {
        return stack.metrics + "/groups/" + s.group() + "/creators/" + s.creator() + "/stats";
    }

    static String metricsUrl(Stack stack, Scenario s) {
        return stack.metrics + "/groups/" + s.group() + "/metrics";
    }

    // ---- lag under load -----------------------------------------------------------------------------------

    /**
     * Paced things and events batches into a group of their own (so the big group stays as loaded) for a while;
     * metrics-service's own lag figures (publication to commit, over what it applied since the load began) and,
     * per events batch, the time from ingest's answer until a {@code ?position=} read of metrics-service says the
     * batch is visible.
     */
    private void lagUnderLoad(Stack stack, Report report) throws Exception {
        int seconds = Integer.parseInt(Stack.env("STRATA_BENCH_METRICS_LAG_SECONDS", "30"));
        int eventsPerSecond = Integer.parseInt(Stack.env("STRATA_BENCH_METRICS_LAG_EVENTS", "5000"));
        int thingsPerSecond = Integer.parseInt(Stack.env("STRATA_BENCH_METRICS_LAG_THINGS", "500"));
        int eventBatch = 500;
        int thingBatch = 100;
        UUID group = stack.createGroup("benchmark metrics lag", "enterprise");
        String things = stack.ingest + "/groups/" + group + "/things:batch";
        List<String> creators =
                Stack.createdIds(stack.postRetrying(things, thingsBody("creator", 10, "creator", 0), null));
        List<String> users = Stack.createdIds(stack.postRetrying(things, thingsBody("user", 1000, "user", 0), null));
        List<String> content = Stack.createdIds(stack.postRetrying(things, contentBody(1000), null));
        String metrics = stack.metrics + "/groups/" + group + "/metrics";
        Stats visible = new Stats();
        AtomicLong eventsSent = new AtomicLong();
        AtomicLong thingsSent = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(16);
        Instant since = Instant.now();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        Thread thingLoad = paced("lag-things", end, 1e9 * thingBatch / thingsPerSecond, failed, n -> {
            stack.postRetrying(things, thingsBody("user", thingBatch, "lag user", 1000 + (int) n * thingBatch), null);
            thingsSent.addAndGet(thingBatch);
        });
        Thread eventLoad = paced("lag-events", end, 1e9 * eventBatch / eventsPerSecond, failed, n -> {
            String body = eventsBody(new Random(n), eventBatch, Instant.now(), creators, users, content);
            String position = Stack.JSON
                    .readTree(stack.postRetrying(stack.ingest + "/groups/" + group + "/events:batch", body, null)
                            .body())
                    .path("position")
                    .asText();
            eventsSent.addAndGet(eventBatch);
            long answered = System.nanoTime();
            readers.execute(() -> {
                try {
                    if (!stack.getJson(metrics + "?position=" + position)
                            .path("_freshness")
                            .path("stale")
                            .asBoolean()) {
                        visible.add(System.nanoTime() - answered);
                    }
                } catch (IOException | InterruptedException e) {
                    failed.set(true);
                    Benchmark.say("lag read failed: " + e);
                }
            });
        });
        thingLoad.start();
        eventLoad.start();
        thingLoad.join();
        eventLoad.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        readers.shutdown();
        readers.awaitTermination(2, TimeUnit.MINUTES);
        if (failed.get()) {
            throw new IllegalStateException("the lag load failed; see above");
        }
        JsonNode lag = stack.getJson(stack.metrics + "/admin/projections/lag?since=" + since);
        double p99 = lag.path("p99Ms").asDouble(Double.NaN);
        report.add(new Report.Row(
                "projection lag under batch load",
                lag.path("events").asInt(),
                lag.path("p50Ms").asDouble(Double.NaN),
                lag.path("p95Ms").asDouble(Double.NaN),
                p99,
                String.format(Locale.ROOT, "%,.0f rows/s", (eventsSent.get() + thingsSent.get()) / elapsed),
                Double.NaN,
                "",
                "p99 < 1 s",
                p99 < 1000));
        report.add(new Report.Row(
                "write -> visible (?position=)",
                visible.runs(),
                visible.median(),
                visible.p95(),
                visible.p99(),
                "",
                Double.NaN,
                "",
                "",
                null));
        report.note(String.format(
                Locale.ROOT,
                "metrics lag load: %.0f s of paced batches into a group of its own"
                        + " (events:batch of %d at %,d events/s, things:batch of %d at %,d things/s; sent %,d events"
                        + " and %,d things); lag = metrics-service's own measure (GET /admin/projections/lag?since=):"
                        + " for each event it applied from the start of the load on (any group's: it is the consumer's"
                        + " lag), from its Kafka publication to the commit of its projection batch (max %s ms);"
                        + " write -> visible = from ingest's answer to an events batch until GET"
                        + " metrics?position=<its position> answers fresh (includes ingest's outbox relay and up to"
                        + " 50 ms of the read's polling)",
                elapsed,
                eventBatch,
                eventsPerSecond,
                thingBatch,
                thingsPerSecond,
                eventsSent.get(),
                thingsSent.get(),
                lag.path("maxMs").asText()));
    }

    interface Step {
        void run(long n) throws Exception;
    }

    /** A thread that runs {@code step} every {@code periodNanos} until {@code end}, catching up if it falls behind. */
    static Thread paced(String name, long end, double periodNanos, AtomicBoolean failed, Step step) {
        return new Thread(
                () -> {
                    long start = System.nanoTime();
                    try {
                        for (long n = 0; ; n++) {
                            long due = start + (long) (n * periodNanos);
                            if (due >= end || failed.get()) {
                                return;
                            }
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            step.run(n);
                        }
                    } catch (Exception e) {
                        failed.set(true);
                        Benchmark.say(name + " failed: " + e);
                    }
                },
                name);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Waits until metrics-service has applied {@code position} of {@code group}. */
    static void awaitApplied(Stack stack, UUID group, String position, Duration atMost)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = stack.getJson(stack.metrics + "/groups/" + group + "/metrics?position=" + position);
            if (!answer.path("_freshness").path("stale").asBoolean()) {
                return;
            }
        }
        throw new IllegalStateException("metrics-service did not apply " + position + " within " + atMost);
    }
}
