package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.events.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The fault suite: drives a stack of its own ({@link FaultStack}) under a sustained write load, injects faults
 * (kill -9 of a service, a broker or the S3 server, a PostgreSQL restart, a consumer group's offsets deleted, the
 * topic's archived records deleted) and then checks every invariant ({@link FaultCheck}, {@link StreamArchiveCheck}).
 * {@link Profile#FULL} is the README's suite; {@link Profile#SHORT} (one kill per service, one broker down, retention)
 * runs in {@code mvn verify} (FaultsIT).
 */
public final class FaultSuite {

    /** How much of each scenario runs. */
    public enum Profile {
        SHORT(1, 1, 1, Duration.ofSeconds(15), 20_000, 600),
        FULL(5, 5, 3, Duration.ofSeconds(60), 200_000, 1_000);

        final int serviceKills;
        final int ingestKills;
        final int archivalKills;
        final Duration brokerOutage;
        final int importItems;
        final int eventsPerSecond;

        Profile(
                int serviceKills,
                int ingestKills,
                int archivalKills,
                Duration brokerOutage,
                int importItems,
                int eventsPerSecond) {
            this.serviceKills = serviceKills;
            this.ingestKills = ingestKills;
            this.archivalKills = archivalKills;
            this.brokerOutage = brokerOutage;
            this.importItems = importItems;
            this.eventsPerSecond = eventsPerSecond;
        }
    }

    /** One line of the table. */
    public record Row(
            String scenario,
            String load,
            int faults,
            FaultCheck.Result result,
            Duration recovery,
            List<String> findings) {

        public boolean passed() {
            return findings.isEmpty()
                    && result.lost() == 0
                    && result.doubled() == 0
                    && result.countersEqual()
                    && result.metricsEqual();
        }
    }

    private static final int ARCHIVE_DAYS_CUTOFF = 365;

    private final FaultStack faults;
    private final Stack stack;
    private final FaultCheck check;
    private final StreamArchiveCheck streamArchive;
    private final Profile profile;
    private final Path work;
    private final List<Row> rows = new ArrayList<>();

    public FaultSuite(Path root, Path work, Profile profile, int brokers) {
        this.profile = profile;
        this.work = work;
        say("starting the fault suite's stack (" + brokers + " broker" + (brokers == 1 ? "" : "s") + ") in " + work);
        this.faults = FaultStack.start(root, work, brokers);
        this.stack = new Stack(
                faults.base("ingest"),
                faults.base("quota"),
                faults.base("metrics"),
                faults.base("archival"),
                faults.jdbcUrl(),
                faults.dbUser(),
                faults.dbPassword(),
                faults.keys());
        this.check = new FaultCheck(stack, faults.kafkaBootstrap(), faults::s3Client);
        this.streamArchive = new StreamArchiveCheck(stack, faults.kafkaBootstrap(), faults::s3Client);
    }

    public List<Row> rows() {
        return rows;
    }

    /** Scenario names in the order they run; {@code all} of them unless some are named. */
    public static final List<String> SCENARIOS = List.of(
            "ingest", "quota", "metrics", "archival", "broker", "s3", "postgres", "offsets", "failover", "retention");

    /** The scenarios the short profile runs in {@code mvn verify}. */
    public static final List<String> SHORT_SCENARIOS =
            List.of("ingest", "quota", "metrics", "archival", "broker", "retention");

    public void run(List<String> scenarios) throws Exception {
        warmUp();
        for (String scenario : scenarios) {
            say("== " + scenario);
            switch (scenario) {
                case "ingest" -> killDuringImport();
                case "quota", "metrics" -> killConsumer(scenario);
                case "archival" -> killArchival();
                case "broker" -> brokerDown();
                case "s3" -> s3Down();
                case "postgres" -> postgresRestart();
                case "offsets" -> offsetsDeleted();
                case "failover" -> brokerFailover();
                case "retention" -> retention();
                default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + SCENARIOS);
            }
            Row row = rows.get(rows.size() - 1);
            say(row.passed() ? "passed" : "FAILED: " + row.findings());
        }
    }

    /**
     * A minute-old JVM runs its first requests interpreted: the load would crawl through the first scenario. Thirty
     * seconds of the same load on a group of its own first, not checked. Its group is the stack's first request, and
     * ingest's call to a cold quota-service may time out (503, nothing written): retried as the load's writes are.
     */
    private void warmUp() throws Exception {
        say("warming up");
        UUID group = UUID.fromString(Stack.JSON
                .readTree(FaultLoad.retrying(
                                stack,
                                () -> HttpRequest.newBuilder(URI.create(stack.ingest + "/groups"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"name\":\"faults warm-up\",\"plan\":\"enterprise\"}")),
                                201,
                                new AtomicLong())
                        .body())
                .path("id")
                .asText());
        FaultLoad load = new FaultLoad(stack, group, "warm-up", 20, profile.eventsPerSecond, Duration.ZERO).start();
        sleep(profile == Profile.FULL ? 30_000 : 15_000);
        load.stop();
    }

    // ---- scenarios ---------------------------------------------------------------------------------------

    /** kill -9 of ingest-service while an import job runs: the job resumes and ends with every item once. */
    private void killDuringImport() throws Exception {
        UUID group = stack.createGroup("faults ingest", "enterprise");
        FaultLoad load = new FaultLoad(stack, group, "ingest-kill", 20, profile.eventsPerSecond, Duration.ZERO).start();
        ImportJob job = ImportJob.start(this, group, "ingest-kill import", profile.importItems);
        List<String> findings = new ArrayList<>();
        Duration recovery = Duration.ZERO;
        int kills = 0;
        load.awaitFlowing(12);
        for (int i = 0; i < profile.ingestKills; i++) {
            job.awaitProgress();
            sleep(i == 0 ? 1_500 : 3_000);
            recovery = max(recovery, killAndStart("ingest"));
            kills++;
        }
        job.awaitEnd(findings);
        load.stop();
        finish(
                "kill -9 ingest-service mid-import",
                describe(load) + " + import " + count(job.items),
                kills,
                group,
                load,
                job.names(),
                Set.of(),
                recovery,
                findings);
    }

    /** kill -9 of quota-service or metrics-service while the stream flows. */
    private void killConsumer(String service) throws Exception {
        UUID group = stack.createGroup("faults " + service, "enterprise");
        FaultLoad load =
                new FaultLoad(stack, group, service + "-kill", 20, profile.eventsPerSecond, Duration.ZERO).start();
        ImportJob job = ImportJob.start(this, group, service + "-kill import", profile.importItems / 2);
        List<String> findings = new ArrayList<>();
        Duration recovery = Duration.ZERO;
        int kills = 0;
        for (int i = 0; i < profile.serviceKills; i++) {
            load.awaitFlowing(12);
            recovery = max(recovery, killAndStart(service));
            kills++;
        }
        job.awaitEnd(findings);
        load.stop();
        finish(
                "kill -9 " + service + "-service mid-stream",
                describe(load) + " + import " + count(job.items),
                kills,
                group,
                load,
                job.names(),
                Set.of(),
                recovery,
                findings);
    }

    /**
     * kill -9 of archival-service during a run over a year-old backlog while new events keep arriving; the next run
     * finishes, and every event is in the hot store or the archive, not both.
     */
    private void killArchival() throws Exception {
        UUID group = stack.createGroup("faults archival", "enterprise");
        FaultLoad old = new FaultLoad(stack, group, "archival-old", 20, 4_000, Duration.ofDays(400)).start();
        sleep(profile == Profile.FULL ? 15_000 : 6_000);
        old.stop();
        FaultLoad load =
                new FaultLoad(stack, group, "archival-kill", 20, profile.eventsPerSecond, Duration.ZERO).start();
        List<String> findings = new ArrayList<>();
        Duration recovery = Duration.ZERO;
        int kills = 0;
        for (int i = 0; i < profile.archivalKills; i++) {
            long already = archivedCount(group);
            startArchivalRun(group);
            awaitArchivedSomething(group, already);
            recovery = max(recovery, killAndStart("archival"));
            kills++;
        }
        String finished = archiveUntilSucceeded(group);
        if (finished != null) {
            findings.add(finished);
        }
        load.stop();
        Set<UUID> archived = archivedIds(group, findings);
        FaultLoad both = FaultLoad.merged(old, load);
        if (hotEligible(group) > 0) {
            findings.add(hotEligible(group) + " events older than the cut-off are still hot after a finished run");
        }
        finish(
                "kill -9 archival-service mid-run",
                "year-old backlog " + count(old.eventIds.size()) + " events (" + count(archived.size()) + " archived); "
                        + describe(load),
                kills,
                group,
                both,
                List.of(),
                archived,
                recovery,
                findings);
    }

    /** Kafka away for a while under load: writes keep being accepted (the outbox grows), then all is published. */
    private void brokerDown() throws Exception {
        UUID group = stack.createGroup("faults broker", "enterprise");
        int rate = profile == Profile.FULL ? 5_000 : 2_000;
        FaultLoad load = new FaultLoad(stack, group, "broker-down", 20, rate, Duration.ZERO).start();
        ImportJob job = ImportJob.start(this, group, "broker-down import", profile.importItems / 4);
        load.awaitFlowing(12);
        List<String> findings = new ArrayList<>();
        int[] down =
                IntStream.range(faults.brokers() == 1 ? 0 : 1, faults.brokers()).toArray();
        long before = load.writesAccepted();
        String replicas = inSyncReplicas();
        for (int node : down) {
            faults.killBroker(node);
        }
        say("broker" + (down.length > 1 ? "s " : " ") + java.util.Arrays.toString(down) + " killed for "
                + profile.brokerOutage.toSeconds() + " s");
        // A group created while Kafka is away: quota-service never saw its group_created, yet its writes are
        // accepted (quota learns the group from ingest).
        UUID fresh = stack.createGroup("faults created while Kafka is down", "pro");
        // pro allows 50 users; while Kafka is away none of them is applied, so each stays reserved: 20 rounds of one
        FaultLoad freshLoad = new FaultLoad(stack, fresh, "created-while-down", 1, 40, Duration.ZERO)
                .limitRounds(20)
                .start();
        long held = 0;
        long outageEnds = System.nanoTime() + profile.brokerOutage.toNanos();
        while (System.nanoTime() < outageEnds) {
            sleep(Math.min(1_000, Math.max(0, (outageEnds - System.nanoTime()) / 1_000_000)));
            held = Math.max(held, outboxRowsUpTo(Long.MAX_VALUE));
        }
        long during = load.writesAccepted() - before;
        long freshDuring = freshLoad.writesAccepted();
        freshLoad.stop();
        long backlog = maxOutboxPosition();
        held = Math.max(held, outboxRowsUpTo(backlog));
        long back = System.nanoTime();
        for (int node : down) {
            faults.startBroker(node);
        }
        awaitTrue("the outbox's backlog published", Duration.ofMinutes(5), () -> outboxRowsUpTo(backlog) == 0);
        Duration recovery = Duration.ofNanos(System.nanoTime() - back);
        if (during == 0) {
            findings.add("no write was accepted while Kafka was down");
        }
        if (held == 0) {
            findings.add("the outbox held nothing while Kafka was down: the relay went on publishing (in-sync"
                    + " replicas before the kill: " + replicas + ")");
        }
        if (freshDuring == 0) {
            findings.add("no write to the group created while Kafka was down was accepted while it was down");
        }
        say(String.format(
                Locale.ROOT,
                "%,d writes accepted while Kafka was down; the outbox held %,d events; all"
                        + " published %.1f s after the brokers were started again",
                during,
                held,
                recovery.toMillis() / 1000.0));
        job.awaitEnd(findings);
        load.stop();
        FaultCheck.Result freshResult = check.check(fresh, freshLoad, List.of(), Set.of());
        finish(
                "Kafka killed " + profile.brokerOutage.toSeconds() + " s"
                        + (faults.brokers() > 1 ? " (" + down.length + " of " + faults.brokers() + " brokers)" : ""),
                describe(load) + " + import " + count(job.items) + "; " + count(during) + " accepted while down (+"
                        + count(freshDuring) + " to a group created while down), outbox " + count(held) + " events",
                down.length,
                group,
                load,
                job.names(),
                Set.of(),
                recovery,
                findings,
                freshResult);
    }

    /** The S3 server killed during an archival run: nothing leaves the hot store unverified; the next run ends it. */
    private void s3Down() throws Exception {
        UUID group = stack.createGroup("faults s3", "enterprise");
        FaultLoad old = new FaultLoad(stack, group, "s3-old", 20, 4_000, Duration.ofDays(400)).start();
        sleep(15_000);
        old.stop();
        FaultLoad load = new FaultLoad(stack, group, "s3-down", 20, profile.eventsPerSecond, Duration.ZERO).start();
        List<String> findings = new ArrayList<>();
        startArchivalRun(group);
        awaitArchivedSomething(group, 0);
        faults.killS3();
        say("S3 killed mid-run");
        sleep(10_000);
        faults.startS3();
        long back = System.nanoTime();
        // while S3 was away: every event that left the hot store is in an object that is there now
        Set<UUID> archivedEarly = archivedIds(group, findings);
        Set<UUID> hot = hotIds(group);
        long unverified = old.eventIds.stream()
                .filter(id -> !hot.contains(id) && !archivedEarly.contains(id))
                .count();
        if (unverified > 0) {
            findings.add(unverified + " events left the hot store without being in the archive");
        }
        String finished = archiveUntilSucceeded(group);
        Duration recovery = Duration.ofNanos(System.nanoTime() - back);
        if (finished != null) {
            findings.add(finished);
        }
        load.stop();
        Set<UUID> archived = archivedIds(group, findings);
        finish(
                "S3 killed during an archival run",
                "year-old backlog " + count(old.eventIds.size()) + " events (" + count(archived.size()) + " archived); "
                        + describe(load),
                1,
                group,
                FaultLoad.merged(old, load),
                List.of(),
                archived,
                recovery,
                findings);
    }

    /** PostgreSQL restarted under load: the services recover without a restart of their own. */
    private void postgresRestart() throws Exception {
        UUID group = stack.createGroup("faults postgres", "enterprise");
        FaultLoad load = new FaultLoad(stack, group, "pg-restart", 20, profile.eventsPerSecond, Duration.ZERO).start();
        ImportJob job = ImportJob.start(this, group, "pg-restart import", profile.importItems / 2);
        sleep(4_000);
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        FaultStack.SERVICES.forEach(service -> pids.put(service, faults.pid(service)));
        long start = System.nanoTime();
        faults.restartPostgres();
        say("PostgreSQL restarted");
        awaitTrue(
                "all four services ready again",
                Duration.ofMinutes(3),
                () -> FaultStack.SERVICES.stream().allMatch(service -> ready(faults.base(service))));
        Duration recovery = Duration.ofNanos(System.nanoTime() - start);
        List<String> findings = new ArrayList<>();
        for (String service : FaultStack.SERVICES) {
            if (!faults.alive(service) || faults.pid(service) != pids.get(service)) {
                findings.add(service + "-service did not survive the restart");
            }
        }
        sleep(3_000);
        job.awaitEnd(findings);
        load.stop();
        finish(
                "PostgreSQL restarted",
                describe(load) + " + import " + count(job.items),
                1,
                group,
                load,
                job.names(),
                Set.of(),
                recovery,
                findings);
    }

    /** A consumer group's committed offsets deleted while its service is stopped: nothing applied twice. */
    private void offsetsDeleted() throws Exception {
        UUID group = stack.createGroup("faults offsets", "enterprise");
        FaultLoad load = new FaultLoad(stack, group, "offsets", 20, profile.eventsPerSecond, Duration.ZERO).start();
        sleep(4_000);
        List<String> findings = new ArrayList<>();
        Duration recovery = Duration.ZERO;
        for (String service : List.of("quota", "metrics")) {
            faults.stop(service);
            deleteConsumerGroup(service + "-service");
            sleep(2_000);
            long start = System.nanoTime();
            faults.start(service);
            recovery = max(recovery, Duration.ofNanos(System.nanoTime() - start));
        }
        sleep(3_000);
        load.stop();
        finish(
                "consumer groups' offsets deleted while stopped (quota, metrics)",
                describe(load),
                2,
                group,
                load,
                List.of(),
                Set.of(),
                recovery,
                findings);
    }

    /** One broker of three killed mid-load, later another: nothing lost, each group's order kept. */
    private void brokerFailover() throws Exception {
        if (faults.brokers() < 3) {
            say("skipped: needs STRATA_KAFKA_BROKERS=3");
            return;
        }
        UUID group = stack.createGroup("faults failover", "enterprise");
        FaultLoad load = new FaultLoad(stack, group, "failover", 20, 2_000, Duration.ZERO).start();
        List<String> findings = new ArrayList<>();
        Duration recovery = Duration.ZERO;
        for (int node : new int[] {0, 1}) {
            sleep(5_000);
            faults.killBroker(node);
            say("broker " + node + " killed");
            sleep(15_000);
            long start = System.nanoTime();
            faults.startBroker(node);
            recovery = max(recovery, Duration.ofNanos(System.nanoTime() - start));
        }
        sleep(5_000);
        load.stop();
        finish(
                "one broker of 3 killed, later another",
                describe(load),
                2,
                group,
                load,
                List.of(),
                Set.of(),
                recovery,
                findings);
    }

    /**
     * What the topic's retention does to old segments, under load: once the stream archive holds them (compared with
     * the topic first), every partition's records below where its archive ends are deleted from the topic (Kafka's
     * deleteRecords), after quota's and metrics' consumers have read past them. Then quota's counters and metrics'
     * projections are rebuilt, which must read the deleted records from the archive; the invariants after it read
     * them there too. Last in the list: later scenarios would only find a topic that no longer starts at 0.
     */
    private void retention() throws Exception {
        UUID group = stack.createGroup("faults retention", "enterprise");
        FaultLoad load = new FaultLoad(stack, group, "retention", 20, profile.eventsPerSecond, Duration.ZERO).start();
        ImportJob job = ImportJob.start(this, group, "retention import", profile.importItems / 4);
        List<String> findings = new ArrayList<>();
        load.awaitFlowing(12);
        StreamArchiveCheck.Result archived = streamArchive.check();
        findings.addAll(archived.findings());
        Map<Integer, Long> deleteBelow = archived.archivedTo();
        awaitTrue(
                "the stream archive's manifest naming every partition's archive up to " + deleteBelow,
                Duration.ofMinutes(1),
                () -> manifestReaches(deleteBelow));
        awaitTrue(
                "quota's and metrics' consumers past " + deleteBelow,
                Duration.ofMinutes(2),
                () -> committedPast("quota-service", deleteBelow) && committedPast("metrics-service", deleteBelow));
        long deleted = deleteRecords(deleteBelow);
        say("deleted " + count(deleted) + " records from the topic: each partition's below " + deleteBelow);
        if (deleted == 0) {
            findings.add("no record was deleted from the topic");
        }
        long start = System.nanoTime();
        rebuildQuota(deleted, findings);
        rebuildMetrics(deleted, findings);
        Duration recovery = Duration.ofNanos(System.nanoTime() - start);
        load.awaitFlowing(12);
        job.awaitEnd(findings);
        load.stop();
        finish(
                "records below the archive's end (" + count(deleted) + ") deleted from the topic; quota and metrics"
                        + " rebuilt from archive + topic",
                describe(load) + " + import " + count(job.items),
                1,
                group,
                load,
                job.names(),
                Set.of(),
                recovery,
                findings);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private void finish(
            String scenario,
            String loadDescription,
            int faultsInjected,
            UUID group,
            FaultLoad load,
            List<String> imported,
            Set<UUID> archived,
            Duration recovery,
            List<String> findings,
            FaultCheck.Result... others)
            throws Exception {
        say("checking the invariants");
        FaultCheck.Result result = check.check(group, load, imported, archived);
        for (FaultCheck.Result other : others) {
            result = result.plus(other);
        }
        List<String> all = new ArrayList<>(findings);
        all.addAll(result.findings());
        if (!result.orderKept()) {
            all.add("order per group not kept");
        }
        all.addAll(streamArchive.check().findings());
        rows.add(new Row(scenario, loadDescription, faultsInjected, result, recovery, all));
    }

    /** SIGKILL, then a start on the same port; answers how long the service took to be ready again. */
    private Duration killAndStart(String service) {
        faults.kill(service);
        say("killed " + service + "-service");
        long start = System.nanoTime();
        faults.start(service);
        Duration ready = Duration.ofNanos(System.nanoTime() - start);
        say(String.format(Locale.ROOT, "%s-service ready again after %.1f s", service, ready.toMillis() / 1000.0));
        return ready;
    }

    /**
     * Starts a new run for the group. Right after a kill the killed replica's run still looks alive (its heartbeat
     * is not yet older than the timeout) and a start answers that run (created: false): asked again until the
     * service reports it dead and starts a new one.
     */
    private void startArchivalRun(UUID group) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            JsonNode answer = Stack.JSON.readTree(FaultLoad.retrying(
                            stack,
                            () -> HttpRequest.newBuilder(URI.create(stack.archival + "/groups/" + group
                                            + "/archival?daysCutoff=" + ARCHIVE_DAYS_CUTOFF))
                                    .POST(HttpRequest.BodyPublishers.noBody()),
                            202,
                            new AtomicLong())
                    .body());
            if (answer.path("created").asBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no new archival run within a minute: run " + answer.path("id")
                        + " is still reported " + answer.path("status"));
            }
            sleep(1_000);
        }
    }

    /** Waits until a run has archived more than {@code already} events of the group: the run is under way. */
    private void awaitArchivedSomething(UUID group, long already) throws Exception {
        awaitTrue("the archival run under way", Duration.ofMinutes(2), () -> archivedCount(group) > already);
    }

    private long archivedCount(UUID group) {
        try (Connection sql = stack.jdbc()) {
            return FaultCheck.count(
                    sql,
                    "SELECT coalesce(sum(archived), 0) FROM archival.archive_run_batches" + " WHERE group_id = ?",
                    group);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Starts runs until one ends succeeded with nothing left eligible (bounded); null when done, else why not. */
    private String archiveUntilSucceeded(UUID group) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        String last = "no run";
        while (System.nanoTime() < deadline) {
            JsonNode started;
            try {
                started = Stack.JSON.readTree(stack.post(
                                stack.archival + "/groups/" + group + "/archival?daysCutoff=" + ARCHIVE_DAYS_CUTOFF,
                                "",
                                202)
                        .body());
            } catch (IllegalStateException | IOException e) {
                last = e.getMessage();
                sleep(1_000);
                continue;
            }
            String id = started.path("id").asText();
            JsonNode run;
            do {
                sleep(500);
                run = stack.getJson(stack.archival + "/archival/runs/" + id);
            } while ("running".equals(run.path("status").asText()) && System.nanoTime() < deadline);
            last = "run " + id + " " + run.path("status").asText() + " "
                    + run.path("error").asText("");
            if ("succeeded".equals(run.path("status").asText()) && hotEligible(group) == 0) {
                return null;
            }
            sleep(1_000);
        }
        return "no archival run finished within 5 minutes: " + last;
    }

    private long hotEligible(UUID group) throws Exception {
        try (Connection sql = stack.jdbc()) {
            return FaultCheck.count(
                    sql,
                    "SELECT count(*) FROM ingest.events WHERE group_id = ? AND \"timestamp\"" + " < now() - interval '"
                            + ARCHIVE_DAYS_CUTOFF + " days'",
                    group);
        }
    }

    private Set<UUID> hotIds(UUID group) throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (Connection sql = stack.jdbc();
                Statement statement = sql.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT id FROM ingest.events WHERE group_id = '" + group + "'")) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    /**
     * The event ids in the group's archive objects, read from S3 as an outside tool would
     * ({@code events/group=<id>/date=.../*.ndjson.gz}); an id found in two objects is a finding.
     */
    private Set<UUID> archivedIds(UUID group, List<String> findings) throws IOException {
        Set<UUID> ids = new HashSet<>();
        long repeated = 0;
        try (S3Client s3 = faults.s3Client()) {
            List<S3Object> objects;
            try {
                objects = s3
                        .listObjectsV2Paginator(ListObjectsV2Request.builder()
                                .bucket("strata-archive")
                                .prefix("events/group=" + group + "/")
                                .build())
                        .contents()
                        .stream()
                        .toList();
            } catch (NoSuchBucketException e) {
                return ids;
            }
            for (S3Object object : objects) {
                if (!object.key().endsWith(".ndjson.gz")) {
                    continue;
                }
                try (ResponseInputStream<GetObjectResponse> body =
                                s3.getObject(b -> b.bucket("strata-archive").key(object.key()));
                        BufferedReader lines = new BufferedReader(
                                new InputStreamReader(new GZIPInputStream(body), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (!line.isBlank()
                                && !ids.add(UUID.fromString(
                                        Stack.JSON.readTree(line).path("id").asText()))) {
                            repeated++;
                        }
                    }
                }
            }
        }
        if (repeated > 0) {
            findings.add(repeated + " events are in more than one archive object");
        }
        return ids;
    }

    /** Whether the manifest in S3, which rebuilds read, names each partition's archive up to {@code offsets}. */
    private boolean manifestReaches(Map<Integer, Long> offsets) {
        try (S3Client s3 = faults.s3Client()) {
            Map<Integer, Long> ends = new StreamArchiveReader(s3).manifestEnds();
            return offsets.entrySet().stream().allMatch(e -> ends.getOrDefault(e.getKey(), 0L) >= e.getValue());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the consumer group committed, on every partition, an offset at or past {@code offsets}. */
    private boolean committedPast(String consumerGroup, Map<Integer, Long> offsets) {
        try (AdminClient admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumerGroup)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata offset = committed.get(new TopicPartition(Topics.EVENTS, e.getKey()));
                return offset != null ? offset.offset() >= e.getValue() : e.getValue() == 0;
            });
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes each partition's records below {@code offsets}, as retention does; answers how many were deleted. */
    private long deleteRecords(Map<Integer, Long> offsets) throws Exception {
        try (AdminClient admin = admin()) {
            Map<TopicPartition, RecordsToDelete> below = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                below.put(new TopicPartition(Topics.EVENTS, partition), RecordsToDelete.beforeOffset(offset));
                earliest.put(new TopicPartition(Topics.EVENTS, partition), OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> before =
                    admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            long deleted = 0;
            for (Map.Entry<TopicPartition, KafkaFuture<DeletedRecords>> result :
                    admin.deleteRecords(below).lowWatermarks().entrySet()) {
                deleted += result.getValue().get(30, TimeUnit.SECONDS).lowWatermark()
                        - before.get(result.getKey()).offset();
            }
            return deleted;
        }
    }

    /**
     * quota-service's rebuild (synchronous): it must answer 200 and have read at least the deleted records from the
     * archive, since the topic no longer has them.
     */
    private void rebuildQuota(long deleted, List<String> findings) throws Exception {
        try {
            JsonNode report = Stack.JSON.readTree(
                    stack.post(stack.quota + "/admin/quotas/rebuild", "", 200).body());
            long fromArchive = report.path("recordsFromArchive").asLong();
            say("quota rebuilt: " + count(report.path("recordsRead").asLong()) + " records, " + count(fromArchive)
                    + " of them from the stream archive");
            if (fromArchive == 0 || fromArchive < deleted) {
                findings.add("quota's rebuild read " + fromArchive + " records from the stream archive; " + deleted
                        + " were deleted from the topic");
            }
        } catch (IllegalStateException e) {
            findings.add("quota's rebuild: " + e.getMessage());
        }
    }

    /** metrics-service's rebuild (started, then followed until it ends): completed, the deleted records from the archive. */
    private void rebuildMetrics(long deleted, List<String> findings) throws Exception {
        String url = stack.metrics + "/admin/projections/rebuild";
        String id;
        try {
            id = Stack.JSON.readTree(stack.post(url, "", 202).body()).path("id").asText();
        } catch (IllegalStateException e) {
            findings.add("metrics' rebuild: " + e.getMessage());
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JsonNode run = stack.getJson(url);
        while (!run.path("status").asText().matches("completed|failed") && System.nanoTime() < deadline) {
            sleep(500);
            run = stack.getJson(url);
        }
        long fromArchive = run.path("eventsFromArchive").asLong();
        say("metrics rebuild " + id + " " + run.path("status").asText() + ": "
                + count(run.path("eventsRead").asLong()) + " events, " + count(fromArchive)
                + " of them from the stream archive");
        if (!id.equals(run.path("id").asText())
                || !"completed".equals(run.path("status").asText())) {
            findings.add("metrics' rebuild " + id + " ended "
                    + run.path("status").asText() + " " + run.path("error").asText(""));
        } else if (fromArchive == 0 || fromArchive < deleted) {
            findings.add("metrics' rebuild read " + fromArchive + " events from the stream archive; " + deleted
                    + " were deleted from the topic");
        }
    }

    private AdminClient admin() {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, faults.kafkaBootstrap()));
    }

    /** Each partition of the event topic with its leader and in-sync replicas, for a finding. */
    private String inSyncReplicas() {
        try (AdminClient admin = admin()) {
            return admin
                    .describeTopics(List.of(Topics.EVENTS))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(Topics.EVENTS)
                    .partitions()
                    .stream()
                    .map(p -> p.partition() + ": leader "
                            + (p.leader() == null ? "none" : p.leader().id()) + " isr "
                            + p.isr().stream()
                                    .map(n -> Integer.toString(n.id()))
                                    .toList())
                    .collect(java.util.stream.Collectors.joining("; "));
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    private long maxOutboxPosition() throws Exception {
        try (Connection sql = stack.jdbc();
                Statement statement = sql.createStatement();
                ResultSet row = statement.executeQuery("SELECT coalesce(max(position), 0) FROM ingest.outbox")) {
            row.next();
            return row.getLong(1);
        }
    }

    private long outboxRowsUpTo(long position) {
        try (Connection sql = stack.jdbc();
                Statement statement = sql.createStatement();
                ResultSet row =
                        statement.executeQuery("SELECT count(*) FROM ingest.outbox WHERE position <= " + position)) {
            row.next();
            return row.getLong(1);
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    private void deleteConsumerGroup(String groupId) throws InterruptedException, ExecutionException {
        try (AdminClient admin = admin()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                try {
                    admin.deleteConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS);
                    say("deleted consumer group " + groupId + " and its offsets");
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // a group whose member has not left yet is not empty: wait for the session to end
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not delete consumer group " + groupId, e);
                    }
                    sleep(1_000);
                }
            }
        }
    }

    private static boolean ready(String base) {
        return dev.strata.local.ServiceJvm.ready(base);
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout + ": " + what);
            }
            sleep(200);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String describe(FaultLoad load) {
        return "batches ~" + count(load.targetEventsPerSecond()) + " ev/s";
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void say(String line) {
        System.err.println(line);
    }

    public void close() {
        faults.close();
    }

    /** An import job on a group, started while ingest is up and followed through restarts. */
    private static final class ImportJob {
        private final FaultSuite suite;
        private final String label;
        private final int items;
        private final String id;

        private ImportJob(FaultSuite suite, String label, int items, String id) {
            this.suite = suite;
            this.label = label;
            this.items = items;
            this.id = id;
        }

        static ImportJob start(FaultSuite suite, UUID group, String label, int items) throws Exception {
            Path file = FaultLoad.importFile(suite.work.resolve("imports"), label, items);
            String id = Stack.JSON
                    .readTree(suite.stack
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(suite.stack.ingest + "/groups/" + group + "/imports"))
                                            .header("Content-Type", "application/x-ndjson")
                                            .POST(HttpRequest.BodyPublishers.ofFile(file)),
                                    202)
                            .body())
                    .path("id")
                    .asText();
            say("import " + id + " of " + count(items) + " items started");
            return new ImportJob(suite, label, items, id);
        }

        List<String> names() {
            List<String> names = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                names.add(label + " i" + i);
            }
            return names;
        }

        private JsonNode status() throws Exception {
            return Stack.JSON.readTree(FaultLoad.retrying(
                            suite.stack,
                            () -> HttpRequest.newBuilder(URI.create(suite.stack.ingest + "/imports/" + id))
                                    .GET(),
                            200,
                            new AtomicLong())
                    .body());
        }

        /** Until the job has written something since the last call (so a kill falls mid-import), at most 60 s. */
        void awaitProgress() throws Exception {
            long before = status().path("processed").asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode job = status();
                if (!job.path("status").asText().matches("queued|running")
                        || job.path("processed").asLong() > before) {
                    return;
                }
                sleep(200);
            }
        }

        /** Until the job ends (at most 10 minutes); a job that did not create every item once is a finding. */
        void awaitEnd(List<String> findings) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            JsonNode job = status();
            while (job.path("status").asText().matches("queued|running") && System.nanoTime() < deadline) {
                sleep(500);
                job = status();
            }
            if (!"succeeded".equals(job.path("status").asText())
                    || job.path("created").asLong() != items) {
                findings.add("import " + id + " ended " + job.path("status").asText() + " with "
                        + job.path("created").asLong() + " of " + items + " created: "
                        + job.path("error").asText(""));
            }
        }
    }
}
