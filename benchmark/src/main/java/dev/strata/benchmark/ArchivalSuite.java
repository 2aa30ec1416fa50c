package dev.strata.benchmark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * archival-service end to end: 100,000 events older than the cut-off, loaded through ingest's {@code events:batch}
 * (which takes any past timestamp) before the clock starts, then one group run ({@code POST
 * /groups/{g}/archival}) timed until {@code GET /archival/runs/{id}} reports it finished: select, gzip NDJSON, upload
 * to the S3 server, read back, delete from the hot store, manifest. The raw baseline, in the same run, takes a copy
 * of the same rows (made untimed, in a scratch table shaped and indexed like {@code ingest.events}) and times what
 * archiving costs without S3 or any bookkeeping: keyset-paged SELECT in the service's batch size, gzip NDJSON in
 * memory, DELETE of each page. {@code STRATA_BENCH_ARCHIVAL_EVENTS} (100000), {@code _DAYS} (10: how many UTC days
 * the events span, which sets how many objects a page makes), {@code _WARMUPS} (3 untimed runs first) and
 * {@code _RUNS} (3 timed) change the scenario.
 */
final class ArchivalSuite implements Benchmark.Suite {

    static final int DAYS_CUTOFF = 365;
    private static final int EVENTS_PER_REQUEST = 10_000;
    private static final String SCRATCH = "strata_bench_archival.events";
    private static final JsonFactory JSON = Stack.JSON.getFactory();

    @Override
    public void run(Stack stack, Report report) throws Exception {
        int events = Integer.parseInt(Stack.env("STRATA_BENCH_ARCHIVAL_EVENTS", "100000"));
        int days = Integer.parseInt(Stack.env("STRATA_BENCH_ARCHIVAL_DAYS", "10"));
        int runs = Integer.parseInt(Stack.env("STRATA_BENCH_ARCHIVAL_RUNS", "3"));
        int warmUps = Integer.parseInt(Stack.env("STRATA_BENCH_ARCHIVAL_WARMUPS", "3"));
        int warmUpDays = Integer.parseInt(Stack.env("STRATA_BENCH_ARCHIVAL_WARMUP_DAYS", "1000"));
        Settle pace = new Settle(stack);
        UUID group = stack.createGroup("benchmark archival", "enterprise");
        Benchmark.say("archival benchmark group " + group);
        String actor = actor(stack, group);
        int batchSize = batchSize(stack, group);

        Stats strata = new Stats();
        Stats raw = new Stats();
        long objects = 0;
        long serverMillis = 0;
        try (Connection db = stack.jdbc()) {
            scratchTable(db);
            // Untimed runs first. The per-object code (S3 client, PostgreSQL client) runs a few times per object, so
            // with 100 objects a run the JIT compilers still took half the service's CPU in its eighth run (measured
            // per thread). The warm-up runs spread their events over more days: pages cut into ten times as many
            // (smaller) objects, and the compilers get there sooner.
            for (int run = 0; run < warmUps + runs; run++) {
                Instant cutoff = load(stack, pace, group, actor, events, run < warmUps ? warmUpDays : days, run);
                copyToScratch(db, group, cutoff, events);

                long start = System.nanoTime();
                JsonNode finished = archive(stack, group);
                long elapsed = System.nanoTime() - start;
                check(db, group, cutoff, events, finished);
                long rawElapsed = rawArchive(db, group, cutoff, batchSize);
                if (run >= warmUps) {
                    strata.add(elapsed);
                    raw.add(rawElapsed);
                    objects += finished.path("batches").size();
                    serverMillis += finished.path("totalTime").asLong();
                }
                if (count(db, SCRATCH, group, cutoff) != 0) {
                    throw new IllegalStateException("the raw baseline left rows behind");
                }
                Benchmark.say(String.format(
                        Locale.ROOT,
                        "archival run %d%s: %,.0f ms (service: %,d ms, %d objects)," + " raw %,.0f ms",
                        run,
                        run < warmUps ? " (warm-up)" : "",
                        elapsed / 1e6,
                        finished.path("totalTime").asLong(),
                        finished.path("batches").size(),
                        rawElapsed / 1e6));
            }
        } finally {
            try (Connection db = stack.jdbc();
                    Statement sql = db.createStatement()) {
                sql.execute("DROP SCHEMA IF EXISTS strata_bench_archival CASCADE");
            }
        }
        double ratio = strata.median() / raw.median();
        report.timed(
                "archive " + String.format(Locale.ROOT, "%,d", events) + " events",
                events,
                strata,
                raw,
                "< 5 s and <= 2x raw",
                strata.median() < 5000 && ratio <= 2.0);
        report.note(String.format(
                Locale.ROOT,
                "archival: %,d events over %d UTC days per run, pages of %d, %.0f"
                        + " objects per run on average; %d timed runs after %d untimed ones; timed from POST"
                        + " /groups/{g}/archival until GET /archival/runs/{id} reports it succeeded (polled every"
                        + " 50 ms; the service's own totalTime averaged %,.0f ms). Checked: totalArchived = %,d and"
                        + " no event older than the cut-off left hot. Raw: keyset SELECT + gzip NDJSON in memory"
                        + " + DELETE per page (autocommit), same rows and batch size, no S3.",
                events,
                days,
                batchSize,
                (double) objects / runs,
                runs,
                warmUps,
                (double) serverMillis / runs,
                events));
    }

    /** The one user whose events the suite logs, created in {@code group}. */
    static String actor(Stack stack, UUID group) throws IOException, InterruptedException {
        return Stack.createdIds(stack.postRetrying(
                        stack.ingest + "/groups/" + group + "/things:batch",
                        "{\"items\":[{\"type\":\"user\",\"name\":\"archival benchmark actor\"}]}",
                        null))
                .get(0);
    }

    /** archival-service's page size (events per object at most), as its status reports it. */
    static int batchSize(Stack stack, UUID group) throws IOException, InterruptedException {
        return stack.getJson(stack.archival + "/archival/status?groupId=" + group)
                .path("config")
                .path("batchSize")
                .asInt(1000);
    }

    /** Logs the events ({@link #logOld}), lets the consumers apply them as paced, and answers the cut-off. */
    private static Instant load(Stack stack, Settle pace, UUID group, String actor, int events, int days, int run)
            throws Exception {
        Instant now = Instant.now();
        pace.after(group, logOld(stack, group, actor, events, days, run, now));
        return now.minus(DAYS_CUTOFF, ChronoUnit.DAYS);
    }

    /**
     * Logs {@code events} events of the group spread over {@code days} UTC days, the last of them 30 days before
     * the cut-off of {@code now} (395 to 395 + {@code days} days old); answers the last batch's position.
     */
    static String logOld(Stack stack, UUID group, String actor, int events, int days, int run, Instant now)
            throws Exception {
        Instant first = now.truncatedTo(ChronoUnit.DAYS).minus(DAYS_CUTOFF + 30L + days, ChronoUnit.DAYS);
        long spacingMillis = Duration.ofDays(days).toMillis() / events;
        String url = stack.ingest + "/groups/" + group + "/events:batch";
        String position = null;
        for (int from = 0; from < events; from += EVENTS_PER_REQUEST) {
            int to = Math.min(events, from + EVENTS_PER_REQUEST);
            StringBuilder body = new StringBuilder((to - from) * 200).append("{\"items\":[");
            for (int i = from; i < to; i++) {
                Instant at = first.plusMillis(i * spacingMillis + run); // distinct times in every run
                body.append(i == from ? "" : ",").append("{\"type\":\"");
                switch (i % 3) {
                    case 0 ->
                        body.append("user_login\",\"metadata\":{\"device\":\"web\",\"n\":")
                                .append(i)
                                .append('}');
                    case 1 ->
                        body.append("content_event\",\"metadata\":{\"action\":\"view\",\"n\":")
                                .append(i)
                                .append('}');
                    default ->
                        body.append("revenue_generated\",\"metadata\":{\"amount\":")
                                .append(i % 100)
                                .append(".99,\"currency\":\"EUR\"}");
                }
                body.append(",\"actorId\":\"")
                        .append(actor)
                        .append("\",\"timestamp\":\"")
                        .append(at)
                        .append("\"}");
            }
            body.append("]}");
            JsonNode answer = Stack.JSON.readTree(
                    stack.postRetrying(url, body.toString(), null).body());
            if (answer.path("summary").path("success").asInt() != to - from) {
                throw new IllegalStateException("ingest did not log every event: " + answer.path("summary"));
            }
            position = answer.path("position").asText(null);
        }
        return position;
    }

    /** Starts the group's run and waits for its end; another run being active is waited out. */
    static JsonNode archive(Stack stack, UUID group) throws Exception {
        String id = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (id == null) {
            try {
                id = Stack.JSON
                        .readTree(stack.post(
                                        stack.archival + "/groups/" + group + "/archival?daysCutoff=" + DAYS_CUTOFF,
                                        "",
                                        202)
                                .body())
                        .get("id")
                        .asText();
            } catch (IllegalStateException busy) {
                if (!busy.getMessage().contains(" 409") || System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(200);
            }
        }
        while (true) {
            JsonNode run = stack.getJson(stack.archival + "/archival/runs/" + id);
            String status = run.path("status").asText();
            if (!"running".equals(status)) {
                if (!"succeeded".equals(status)) {
                    throw new IllegalStateException("archival run " + id + " " + status + ": " + run.path("error"));
                }
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("archival run " + id + " still running after 5 minutes");
            }
            Thread.sleep(50);
        }
    }

    /** The run archived exactly {@code events} and failed none, and no event older than the cut-off is hot. */
    static void check(Connection db, UUID group, Instant cutoff, int events, JsonNode run) throws SQLException {
        if (run.path("totalArchived").asLong() != events
                || run.path("totalFailed").asLong() != 0) {
            throw new IllegalStateException("archival run archived " + run.path("totalArchived") + " and failed "
                    + run.path("totalFailed") + " instead of " + events);
        }
        long hot = count(db, "ingest.events", group, cutoff);
        if (hot != 0) {
            throw new IllegalStateException(hot + " events older than the cut-off are still hot");
        }
    }

    private static void scratchTable(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS strata_bench_archival");
            sql.execute("DROP TABLE IF EXISTS " + SCRATCH);
            sql.execute("CREATE TABLE " + SCRATCH + " (LIKE ingest.events INCLUDING ALL)");
        }
    }

    /** Untimed: the same rows as the hot store holds, for the raw baseline. */
    private static void copyToScratch(Connection db, UUID group, Instant cutoff, int events) throws SQLException {
        try (PreparedStatement copy = db.prepareStatement(
                "INSERT INTO " + SCRATCH + " SELECT * FROM ingest.events WHERE group_id = ? AND \"timestamp\" < ?")) {
            copy.setObject(1, group);
            copy.setTimestamp(2, Timestamp.from(cutoff));
            if (copy.executeUpdate() != events) {
                throw new IllegalStateException("expected " + events + " old events of the group in ingest.events");
            }
        }
        try (Statement sql = db.createStatement()) {
            sql.execute("ANALYZE " + SCRATCH);
        }
    }

    /** Keyset pages of {@code batchSize}: SELECT, gzip NDJSON in memory, DELETE by id; returns nanoseconds. */
    private static long rawArchive(Connection db, UUID group, Instant cutoff, int batchSize)
            throws SQLException, IOException {
        String columns = "SELECT id, group_id, type, actor_id, target_id, \"timestamp\", metadata::text, recorded_at"
                + " FROM " + SCRATCH + " WHERE group_id = ? AND \"timestamp\" < ?";
        long start = System.nanoTime();
        try (PreparedStatement first = db.prepareStatement(columns + " ORDER BY \"timestamp\", id LIMIT ?");
                PreparedStatement next = db.prepareStatement(
                        columns + " AND (\"timestamp\", id) > (?, ?)" + " ORDER BY \"timestamp\", id LIMIT ?");
                PreparedStatement delete = db.prepareStatement("DELETE FROM " + SCRATCH + " WHERE id = ANY(?)")) {
            first.setObject(1, group);
            first.setTimestamp(2, Timestamp.from(cutoff));
            first.setInt(3, batchSize);
            PreparedStatement page = first;
            while (true) {
                List<UUID> ids = new ArrayList<>(batchSize);
                Timestamp lastTime = null;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ResultSet rows = page.executeQuery();
                        GZIPOutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024)) {
                    while (rows.next()) {
                        ids.add((UUID) rows.getObject(1));
                        lastTime = rows.getTimestamp(6);
                        gzip.write(line(rows));
                        gzip.write('\n');
                    }
                }
                if (ids.isEmpty()) {
                    break;
                }
                delete.setArray(1, db.createArrayOf("uuid", ids.toArray()));
                delete.executeUpdate();
                if (ids.size() < batchSize) {
                    break;
                }
                next.setObject(1, group);
                next.setTimestamp(2, Timestamp.from(cutoff));
                next.setTimestamp(3, lastTime);
                next.setObject(4, ids.get(ids.size() - 1));
                next.setInt(5, batchSize);
                page = next;
            }
        }
        return System.nanoTime() - start;
    }

    /** The NDJSON line archival-service writes: every column, fixed field order, metadata verbatim. */
    private static byte[] line(ResultSet row) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", row.getString(1));
            json.writeStringField("groupId", row.getString(2));
            json.writeStringField("type", row.getString(3));
            json.writeStringField("actorId", row.getString(4));
            json.writeStringField("targetId", row.getString(5));
            json.writeStringField("timestamp", row.getTimestamp(6).toInstant().toString());
            json.writeFieldName("metadata");
            json.writeRawValue(row.getString(7));
            json.writeStringField("recordedAt", row.getTimestamp(8).toInstant().toString());
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static long count(Connection db, String table, UUID group, Instant cutoff) throws SQLException {
        try (PreparedStatement count =
                db.prepareStatement("SELECT count(*) FROM " + table + " WHERE group_id = ? AND \"timestamp\" < ?")) {
            count.setObject(1, group);
            count.setTimestamp(2, Timestamp.from(cutoff));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
