package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * How cost grows with size, in four parts: (1) creator stats and group metrics latency as one group grows through
 * checkpoints (10K, 100K, 1M and 10M events by default), checked against raw SQL at each; (2) ingest's cost per item
 * from a things batch of 100 to an import job of a million, beside raw COPY; (3) archival's cost per event from 10K
 * to 1M events; (4) bytes on disk per event, by kind of table and by schema, at each checkpoint of (1). Not in the
 * default run: it loads ten million events.
 *
 * <p>Sizes are comma lists ({@code none} skips a part): {@code STRATA_BENCH_SCALE_EVENTS}
 * (10000,100000,1000000,10000000), {@code STRATA_BENCH_SCALE_ITEMS} (100,1000,10000,100000,1000000) and
 * {@code STRATA_BENCH_SCALE_ARCHIVAL} (10000,100000,1000000). The group of (1) grows from one checkpoint to the
 * next; it is never reloaded.
 */
final class ScaleSuite implements Benchmark.Suite {

    /** Events per {@code events:batch} while loading, and the largest size sent as one {@code things:batch}. */
    private static final int BATCH = 10_000;

    private static final int WARM_UP_READS = 50;
    private static final int READS = 300;
    private static final long PROGRESS_EVERY = 500_000;

    /** A small size is repeated until its timed runs add up to this much work (and at least MIN_RUNS runs). */
    private static final long MIN_WORK_NANOS = 500_000_000L;

    private static final int MIN_RUNS = 5;
    private static final int MAX_RUNS = 300;

    /** Per-item and per-event growth goal: the largest size costs within this factor of the smallest. */
    private static final double WITHIN = 1.5;

    /** metrics' tables that are neither applied ids nor projections: the consumer's and every service's own. */
    private static final List<String> METRICS_BOOKKEEPING =
            List.of("rejected_events", "stream_positions", "outbox", "outbox_dead", "flyway_schema_history");

    private static final List<String> SCHEMAS = List.of("ingest", "quota", "metrics", "archival");
    private static final List<String> KINDS =
            List.of("hot log", "outbox", "applied ids", "projections", "counters", "other");

    @Override
    public void run(Stack stack, Report report) throws Exception {
        List<Integer> events = sizes("STRATA_BENCH_SCALE_EVENTS", "10000,100000,1000000,10000000");
        List<Integer> items = sizes("STRATA_BENCH_SCALE_ITEMS", "100,1000,10000,100000,1000000");
        List<Integer> archived = sizes("STRATA_BENCH_SCALE_ARCHIVAL", "10000,100000,1000000");
        Settle pace = new Settle(stack);
        report.note("scale pacing: " + pace.describe());
        if (!events.isEmpty()) {
            readsAndDisk(stack, report, pace, events);
        }
        if (!items.isEmpty()) {
            Benchmark.quiesce(stack);
            ingestPerItem(stack, report, pace, items);
        }
        if (!archived.isEmpty()) {
            Benchmark.quiesce(stack);
            archivalPerEvent(stack, report, pace, archived);
        }
    }

    // ---- (1) reads vs group size, (4) bytes on disk -------------------------------------------------------

    private void readsAndDisk(Stack stack, Report report, Settle pace, List<Integer> checkpoints) throws Exception {
        int largest = checkpoints.get(checkpoints.size() - 1);
        UUID group = stack.createGroup("benchmark scale " + largest, "enterprise");
        Benchmark.say("scale group " + group + ", loaded up to " + count(largest) + " events");
        long start = System.nanoTime();
        MetricsSuite.Population population = MetricsSuite.populate(stack, group);
        report.note(String.format(
                Locale.ROOT,
                "scale group: %,d things and %,d connections (the metrics suite's population) in %.1f s, then"
                        + " events:batch of %,d (the metrics suite's mix of events over the last 180 days) up to"
                        + " each checkpoint; the same group grows, it is never reloaded",
                population.creators().size()
                        + population.users().size()
                        + population.content().size(),
                population.connections(),
                (System.nanoTime() - start) / 1e9,
                BATCH));
        MetricsSuite.Scenario scenario = new MetricsSuite.Scenario(
                group, UUID.fromString(population.creators().get(0)));
        List<String> header = new ArrayList<>(List.of("checkpoint", "events in ingest.events", "MB on disk"));
        KINDS.forEach(kind -> header.add(kind + " B/event"));
        header.add("total B/event");
        SCHEMAS.forEach(schema -> header.add(schema + " B/event"));
        Report.Table disk = report.table("Bytes on disk per event (scale suite)", header);

        report.note("scale reads: at each checkpoint, once metrics-service applied the group's last batch"
                + " (?position=), quota-service everything on the topic and the machine is quiet, "
                + WARM_UP_READS + " untimed GETs of each endpoint, then " + READS + " sequential GETs of creator stats"
                + " (the star creator) and " + READS + " of group metrics over HTTP/1.1, timed from request to"
                + " the whole body; raw = one run of the same aggregates by raw SQL over ingest's tables (RawMetrics),"
                + " right after the check that computed them once. Growth rows: p95 at the largest checkpoint over"
                + " p95 at the smallest.");
        report.note("scale disk: after each checkpoint's reads, pg_total_relation_size (heap, indexes, TOAST, free"
                + " space and visibility maps) of every table of the schemas " + String.join(", ", SCHEMAS)
                + ", by kind: hot log = ingest.events; outbox = ingest.outbox and outbox_dead; applied ids ="
                + " applied_events of quota and metrics; projections = metrics' tables but applied_events,"
                + " rejected_events, stream_positions, outbox, outbox_dead and flyway_schema_history; counters ="
                + " quota.counters and usage_daily; other = the rest (ingest's things, connections, idempotency keys"
                + " and batch outcomes among them). Divided by count(*) of ingest.events at that moment: every"
                + " group's hot events, counted exactly, so whatever earlier runs left in the database is in both."
                + " No VACUUM or ANALYZE first: sizes are as the services left them, dead rows and free space"
                + " included. The group's things and connections are loaded once, so their share per event shrinks"
                + " as it grows. The schema columns split the same bytes by schema.");

        Load load = new Load(stack, group, population);
        Stats[] firstReads = null;
        Stats[] lastReads = null;
        try (Connection sql = stack.jdbc()) {
            for (int checkpoint : checkpoints) {
                String label = count(checkpoint);
                load.to(checkpoint, report);
                pace.await(group, load.position, 1800); // quota-service too, so the reads meet a quiet stack
                Benchmark.quiesce(stack);
                report.note("scale check at " + label + " events, Strata vs raw SQL: "
                        + MetricsSuite.check(stack, sql, scenario));
                Stats[] reads = reads(stack, sql, scenario, report, label);
                firstReads = firstReads == null ? reads : firstReads;
                lastReads = reads;
                disk.add(disk(sql, label));
            }
        }
        if (checkpoints.size() > 1) {
            String span = count(largest) + " vs " + count(checkpoints.get(0));
            growth(report, "creator stats p95, " + span, firstReads[0].p95(), lastReads[0].p95());
            growth(report, "group metrics p95, " + span, firstReads[1].p95(), lastReads[1].p95());
        }
    }

    /** The scale group's event load: batches continue from one checkpoint to the next, each with its own key. */
    private static final class Load {
        private final Stack stack;
        private final UUID group;
        private final MetricsSuite.Population population;
        private final String url;
        private final Instant now = Instant.now();
        private long written;
        private int batches;
        private String position;
        /** Events per second through ingest in the last load, for the estimate of the next; 0 before. */
        private double rate;

        Load(Stack stack, UUID group, MetricsSuite.Population population) {
            this.stack = stack;
            this.group = group;
            this.population = population;
            this.url = stack.ingest + "/groups/" + group + "/events:batch";
        }

        /** Writes events until the group has {@code target}, then waits until metrics-service applied them all. */
        void to(long target, Report report) throws Exception {
            long from = written;
            long start = System.nanoTime();
            long markAt = start;
            long markCount = written;
            long nextProgress = (written / PROGRESS_EVERY + 1) * PROGRESS_EVERY;
            if (rate > 0) {
                Benchmark.say(String.format(
                        Locale.ROOT,
                        "loading %,d events to %s: about %.1f min at the last load's %,.0f events/s",
                        target - written,
                        count(target),
                        (target - written) / rate / 60,
                        rate));
            }
            while (written < target) {
                int n = (int) Math.min(BATCH, target - written);
                String body = MetricsSuite.eventsBody(
                        new Random(batches), n, now, population.creators(), population.users(), population.content());
                // The key makes a batch retried after ingest restarted write nothing twice.
                JsonNode answer = Stack.JSON.readTree(
                        stack.postRetrying(url, body, group + "-e" + batches).body());
                if (answer.path("summary").path("success").asInt() != n) {
                    throw new IllegalStateException("ingest did not log every event: " + answer.path("summary"));
                }
                position = answer.path("position").asText(null);
                batches++;
                written += n;
                if (written >= nextProgress) {
                    long at = System.nanoTime();
                    double rate = (written - markCount) / ((at - markAt) / 1e9);
                    Benchmark.say(String.format(
                            Locale.ROOT,
                            "  %,d events written: %,.0f events/s over the last %,d; %.1f min to %s at that rate",
                            written,
                            rate,
                            written - markCount,
                            (target - written) / rate / 60,
                            count(target)));
                    markAt = at;
                    markCount = written;
                    nextProgress += PROGRESS_EVERY;
                }
            }
            long writtenAt = System.nanoTime();
            MetricsSuite.awaitApplied(stack, group, position, Duration.ofHours(1));
            long appliedAt = System.nanoTime();
            double seconds = (writtenAt - start) / 1e9;
            rate = (written - from) / seconds;
            report.note(String.format(
                    Locale.ROOT,
                    "scale load to %s: %,d events in %.1f s (%,.0f events/s through ingest); metrics-service had"
                            + " applied all of them %.1f s after the last batch's answer",
                    count(target),
                    written - from,
                    seconds,
                    (written - from) / seconds,
                    (appliedAt - writtenAt) / 1e9));
        }
    }

    /** Creator stats and group metrics timed at one checkpoint; answers their timings in that order. */
    private static Stats[] reads(Stack stack, Connection sql, MetricsSuite.Scenario s, Report report, String label)
            throws Exception {
        Stats creatorRaw = new Stats();
        Stats groupRaw = new Stats();
        try (RawMetrics raw = new RawMetrics(sql)) {
            long start = System.nanoTime();
            raw.creator(s.group(), s.creator());
            creatorRaw.add(System.nanoTime() - start);
            start = System.nanoTime();
            raw.group(s.group(), Instant.now());
            groupRaw.add(System.nanoTime() - start);
        }
        String creatorUrl = MetricsSuite.creatorUrl(stack, s);
        String metricsUrl = MetricsSuite.metricsUrl(stack, s);
        for (int i = 0; i < WARM_UP_READS; i++) {
            stack.get(creatorUrl, 200);
            stack.get(metricsUrl, 200);
        }
        Stats creator = MetricsSuite.timeHttp(stack, creatorUrl, READS);
        Stats group = MetricsSuite.timeHttp(stack, metricsUrl, READS);
        MetricsSuite.beside(report, "creator stats at " + label + " events", creator, creatorRaw, "", null);
        MetricsSuite.beside(report, "group metrics at " + label + " events", group, groupRaw, "", null);
        return new Stats[] {creator, group};
    }

    /** A growth row: the largest size's figure over the smallest's, goal at most 2x. */
    private static void growth(Report report, String scenario, double smallest, double largest) {
        double ratio = largest / smallest;
        report.add(new Report.Row(
                scenario,
                2,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "",
                Double.NaN,
                String.format(Locale.ROOT, "%.2fx", ratio),
                "<= 2x",
                ratio <= 2));
    }

    /** One row of the disk table: the database's bytes per hot event, by kind of table and by schema. */
    private static List<String> disk(Connection sql, String label) throws SQLException {
        long events;
        try (PreparedStatement count = sql.prepareStatement("SELECT count(*) FROM ingest.events");
                ResultSet row = count.executeQuery()) {
            row.next();
            events = row.getLong(1);
        }
        Map<String, Long> byKind = new LinkedHashMap<>();
        KINDS.forEach(kind -> byKind.put(kind, 0L));
        Map<String, Long> bySchema = new LinkedHashMap<>();
        SCHEMAS.forEach(schema -> bySchema.put(schema, 0L));
        try (PreparedStatement sizes = sql.prepareStatement("SELECT n.nspname, c.relname,"
                + " pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname = ANY(?)")) {
            sizes.setArray(1, sql.createArrayOf("text", SCHEMAS.toArray()));
            try (ResultSet rows = sizes.executeQuery()) {
                while (rows.next()) {
                    byKind.merge(kind(rows.getString(1), rows.getString(2)), rows.getLong(3), Long::sum);
                    bySchema.merge(rows.getString(1), rows.getLong(3), Long::sum);
                }
            }
        }
        long total = byKind.values().stream().mapToLong(Long::longValue).sum();
        List<String> cells = new ArrayList<>(List.of(
                label,
                String.format(Locale.ROOT, "%,d", events),
                String.format(Locale.ROOT, "%,.0f", total / (1024.0 * 1024.0))));
        byKind.values().forEach(bytes -> cells.add(perEvent(bytes, events)));
        cells.add(perEvent(total, events));
        bySchema.values().forEach(bytes -> cells.add(perEvent(bytes, events)));
        return cells;
    }

    /**
     * The kind of a table, from the migrations: ingest-service's V2 (events, outbox), service-support's
     * R__outbox.sql (outbox, outbox_dead in every schema) and R__stream_consumer.sql (applied_events,
     * rejected_events, stream_positions of quota and metrics), quota's V2 (counters, usage_daily) and metrics'
     * projection tables.
     */
    static String kind(String schema, String table) {
        boolean bookkeeping = METRICS_BOOKKEEPING.contains(table);
        return switch (schema) {
            case "ingest" ->
                table.equals("events")
                        ? "hot log"
                        : table.equals("outbox") || table.equals("outbox_dead") ? "outbox" : "other";
            case "quota" ->
                table.equals("applied_events")
                        ? "applied ids"
                        : table.equals("counters") || table.equals("usage_daily") ? "counters" : "other";
            case "metrics" -> table.equals("applied_events") ? "applied ids" : bookkeeping ? "other" : "projections";
            default -> "other";
        };
    }

    private static String perEvent(long bytes, long events) {
        return events == 0 ? "" : String.format(Locale.ROOT, "%,.1f", (double) bytes / events);
    }

    // ---- (2) ingest per-item cost -------------------------------------------------------------------------

    /** Times one run of a scenario: nanoseconds of the timed part only. */
    private interface Timed {
        long nanos() throws Exception;
    }

    private void ingestPerItem(Stack stack, Report report, Settle pace, List<Integer> sizes) throws Exception {
        UUID group = stack.createGroup("benchmark scale ingest", "enterprise");
        Benchmark.say("scale ingest group " + group);
        String things = stack.ingest + "/groups/" + group + "/things:batch";
        List<double[]> perItem = new ArrayList<>(); // size, Strata us/item, raw us/item
        try (RawPostgres raw = new RawPostgres(stack.pgUrl, stack.pgUser, stack.pgPassword)) {
            // The ingest suite's warm-up: a service just started runs its first few hundred batches in the
            // interpreter and C1 code, two to three times slower.
            for (int i = 0; i < 300; i++) {
                int n = i % 10 == 0 ? 1000 : 100;
                pace.after(group, Stack.position(stack.postRetrying(things, IngestSuite.thingsBody(n, "warm"), null)));
                raw.copyThings(n);
            }
            raw.truncate();
            for (int n : sizes) {
                Stats strata;
                Stats copy;
                String scenario;
                if (n <= BATCH) {
                    scenario = "per item: things:batch " + count(n);
                    int[] run = {0};
                    strata = repeated(() -> {
                        String body = IngestSuite.thingsBody(n, "scale " + n + " run " + run[0]++);
                        long start = System.nanoTime();
                        HttpResponse<String> answer = stack.post(things, body, 200);
                        long elapsed = System.nanoTime() - start;
                        pace.after(group, Stack.position(answer));
                        return elapsed;
                    });
                    copy = repeated(() -> raw.copyThings(n));
                } else {
                    scenario = "per item: import job " + count(n);
                    strata = new Stats();
                    strata.add(imported(stack, pace, group, n));
                    Benchmark.quiesce(stack);
                    copy = new Stats();
                    copy.add(raw.copyThings(n));
                }
                raw.truncate();
                double strataUs = strata.median() * 1000 / n;
                double rawUs = copy.median() * 1000 / n;
                perItem.add(new double[] {n, strataUs, rawUs});
                report.add(new Report.Row(
                        scenario,
                        strata.runs(),
                        strata.median(),
                        strata.p95(),
                        strata.p99(),
                        String.format(Locale.ROOT, "%,.1f us/item", strataUs),
                        copy.median(),
                        String.format(Locale.ROOT, "%.2f", strataUs / rawUs),
                        "",
                        null));
            }
        }
        if (perItem.size() > 1) {
            String span = count((long) perItem.get(perItem.size() - 1)[0]) + " vs " + count((long) perItem.get(0)[0]);
            spread(report, "per item, " + span, perItem, 1, true);
            spread(report, "per item, max/min over sizes", perItem, 1, false);
            spread(report, "per item (raw COPY), " + span, perItem, 2, true);
            spread(report, "per item (raw COPY), max/min", perItem, 2, false);
        }
        report.note("scale ingest: per-item cost = the median request time over the items in it. Up to "
                + String.format(Locale.ROOT, "%,d", BATCH) + " items, one things:batch per run, repeated until the"
                + " timed runs add up to " + MIN_WORK_NANOS / 1_000_000 + " ms (at least " + MIN_RUNS + " runs),"
                + " after the ingest suite's 300 warm-up batches; larger sizes are one import job each ("
                + (pace.settles()
                        ? "quota-service's and metrics-service's stream consumers paused, as the consumers are idle"
                                + " during each settled batch; they then apply it untimed before the next size"
                        : "consumers live, as the batches run back to back")
                + "). raw ms = raw COPY of the same number of things plus one outbox row each in one transaction"
                + " (repeated the same way; once for import sizes); ratio = Strata per item / raw per item. Growth"
                + " rows: per-item cost at the largest size over the smallest (goal within " + WITHIN + "x either"
                + " way), and the largest per-item cost over the smallest of all sizes.");
    }

    /** Runs {@code run} until the timed runs add up to MIN_WORK_NANOS and number at least MIN_RUNS. */
    private static Stats repeated(Timed run) throws Exception {
        Stats stats = new Stats();
        long work = 0;
        for (int i = 0; i < MAX_RUNS && (i < MIN_RUNS || work < MIN_WORK_NANOS); i++) {
            long nanos = run.nanos();
            stats.add(nanos);
            work += nanos;
        }
        return stats;
    }

    /**
     * One import job of {@code items} things, in nanoseconds; with settle pacing the consumers are paused while it
     * runs (the batches too are timed while the consumers are idle). Then waits, untimed, until they applied it.
     */
    private static long imported(Stack stack, Settle pace, UUID group, int items) throws Exception {
        Path file = IngestSuite.importFile(items);
        List<String> consumers = List.of(stack.quota, stack.metrics);
        IngestSuite.Imported job;
        try {
            if (pace.settles()) {
                for (String service : consumers) {
                    stack.post(service + "/admin/stream-consumer/pause", "{}", 200);
                }
            }
            job = IngestSuite.importJob(stack, group, file, items);
        } finally { // resuming a consumer that is not paused changes nothing
            for (String service : consumers) {
                stack.post(service + "/admin/stream-consumer/resume", "{}", 200);
            }
            Files.deleteIfExists(file);
        }
        // One more batch of the group, on the same partition, is applied after every event of the import.
        String after = stack.ingest + "/groups/" + group + "/things:batch";
        pace.await(group, Stack.position(stack.post(after, IngestSuite.thingsBody(1, "after import"), 200)), 900);
        return job.nanos();
    }

    /**
     * A growth row over per-size figures (column {@code at} of each): the largest size's over the smallest's, or
     * the largest figure over the smallest of all sizes; goal within WITHIN for Strata's, none for raw's.
     */
    private static void spread(Report report, String scenario, List<double[]> figures, int at, boolean ends) {
        double ratio;
        if (ends) {
            ratio = figures.get(figures.size() - 1)[at] / figures.get(0)[at];
        } else {
            double max = figures.stream().mapToDouble(f -> f[at]).max().orElseThrow();
            double min = figures.stream().mapToDouble(f -> f[at]).min().orElseThrow();
            ratio = max / min;
        }
        boolean strata = at == 1;
        report.add(new Report.Row(
                scenario,
                figures.size(),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "",
                Double.NaN,
                String.format(Locale.ROOT, "%.2fx", ratio),
                strata ? "within " + WITHIN + "x" : "",
                strata ? Boolean.valueOf(ratio <= WITHIN && ratio >= 1 / WITHIN) : null));
    }

    // ---- (3) archival per-event cost ----------------------------------------------------------------------

    private void archivalPerEvent(Stack stack, Report report, Settle pace, List<Integer> sizes) throws Exception {
        // Untimed runs first, as in the archival suite: events over 1,000 days make many small objects, so the
        // per-object code paths are compiled before the first timed run.
        UUID warm = stack.createGroup("benchmark scale archival warm-up", "enterprise");
        String warmActor = ArchivalSuite.actor(stack, warm);
        for (int run = 0; run < 3; run++) {
            pace.await(warm, ArchivalSuite.logOld(stack, warm, warmActor, 10_000, 1000, run, Instant.now()), 300);
            ArchivalSuite.archive(stack, warm);
        }
        int batchSize = ArchivalSuite.batchSize(stack, warm);
        List<double[]> perEvent = new ArrayList<>(); // size, us/event
        StringBuilder runs = new StringBuilder();
        try (Connection db = stack.jdbc()) {
            for (int n : sizes) {
                UUID group = stack.createGroup("benchmark scale archival " + n, "enterprise");
                String actor = ArchivalSuite.actor(stack, group);
                String position = ArchivalSuite.logOld(stack, group, actor, n, 10, 0, Instant.now());
                pace.await(group, position, 900);
                Benchmark.quiesce(stack);
                long start = System.nanoTime();
                JsonNode finished = ArchivalSuite.archive(stack, group);
                long elapsed = System.nanoTime() - start;
                Instant cutoff = Instant.now().minus(ArchivalSuite.DAYS_CUTOFF, ChronoUnit.DAYS);
                ArchivalSuite.check(db, group, cutoff, n, finished);
                Stats stats = new Stats();
                stats.add(elapsed);
                double us = elapsed / 1e3 / n;
                perEvent.add(new double[] {n, us});
                report.add(new Report.Row(
                        "archive " + count(n) + " events",
                        1,
                        stats.median(),
                        Double.NaN,
                        Double.NaN,
                        String.format(Locale.ROOT, "%,.2f us/event", us),
                        Double.NaN,
                        "",
                        "",
                        null));
                runs.append(String.format(
                        Locale.ROOT,
                        "%s%s: service %,d ms, %d objects",
                        runs.isEmpty() ? "" : "; ",
                        count(n),
                        finished.path("totalTime").asLong(),
                        finished.path("batches").size()));
            }
        }
        if (perEvent.size() > 1) {
            double ratio = perEvent.get(perEvent.size() - 1)[1] / perEvent.get(0)[1];
            report.add(new Report.Row(
                    "archive per event, " + count((long) perEvent.get(perEvent.size() - 1)[0]) + " vs "
                            + count((long) perEvent.get(0)[0]),
                    perEvent.size(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    "",
                    Double.NaN,
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    "",
                    null));
        }
        report.note("scale archival: per size a group of its own, its events 395-405 days old logged through"
                + " events:batch (the archival suite's load) and applied by the consumers, the machine quiet; one"
                + " group run per size timed from POST /groups/{g}/archival until GET /archival/runs/{id} reports it"
                + " succeeded, checked (every event archived, none older than the cut-off left hot); pages of "
                + batchSize + "; three untimed runs of 10,000 events over 1,000 days first. " + runs
                + ". Growth row: microseconds per event at the largest size over the smallest.");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A comma list of sizes from the environment, ascending; {@code none} is no size (the part is skipped). */
    static List<Integer> sizes(String variable, String fallback) {
        String value = Stack.env(variable, fallback).trim();
        if (value.equals("none")) {
            return List.of();
        }
        List<Integer> sizes = new ArrayList<>();
        for (String part : value.split(",")) {
            int size = Integer.parseInt(part.trim().replace("_", ""));
            if (size <= 0) {
                throw new IllegalArgumentException(variable + " sizes must be positive: " + value);
            }
            if (!sizes.contains(size)) {
                sizes.add(size);
            }
        }
        sizes.sort(null);
        return sizes;
    }

    /** 10000 as 10K, 1000000 as 1M; other numbers with separators. */
    static String count(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n >= 1000 && n % 1000 == 0) {
            return n / 1000 + "K";
        }
        return String.format(Locale.ROOT, "%,d", n);
    }
}
