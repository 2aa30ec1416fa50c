package dev.strata.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code benchmark/run.sh faults [short] [scenario ...]}: runs the fault suite ({@link FaultSuite}) on a stack of its
 * own and prints one table; exits 1 when a scenario broke an invariant. {@code STRATA_KAFKA_BROKERS} (3 by default
 * here) chooses the cluster's size; {@code STRATA_FAULTS_HOME} where its servers keep their data and logs.
 */
public final class Faults {

    private Faults() {}

    public static void main(String[] args) throws Exception {
        FaultSuite.Profile profile = FaultSuite.Profile.FULL;
        List<String> scenarios = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("faults")) {
                continue;
            }
            if (arg.equals("short")) {
                profile = FaultSuite.Profile.SHORT;
            } else {
                scenarios.add(arg);
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(profile == FaultSuite.Profile.SHORT ? FaultSuite.SHORT_SCENARIOS : FaultSuite.SCENARIOS);
        }
        Path root =
                Path.of(System.getProperty("strata.root", ".")).toAbsolutePath().normalize();
        Path work = Path.of(Stack.env(
                "STRATA_FAULTS_HOME", root.resolve("benchmark/target/faults").toString()));
        int brokers = Integer.parseInt(Stack.env("STRATA_KAFKA_BROKERS", "3"));
        FaultSuite suite = new FaultSuite(root, work, profile, brokers);
        List<FaultSuite.Row> rows;
        boolean broke = false;
        try {
            suite.run(scenarios);
        } catch (Exception | Error e) {
            // A scenario that cannot go on (a step that never came): the table so far, then exit, whatever threads
            // of its load are still running.
            e.printStackTrace();
            broke = true;
        } finally {
            rows = suite.rows();
            suite.close();
            System.out.println(table(rows, brokers));
        }
        System.exit(broke ? 2 : rows.stream().allMatch(FaultSuite.Row::passed) ? 0 : 1);
    }

    /** The table, in Markdown, then each failed scenario's findings. */
    static String table(List<FaultSuite.Row> rows, int brokers) {
        StringBuilder out = new StringBuilder();
        out.append("\nStrata fault suite (")
                .append(brokers)
                .append(" Kafka broker")
                .append(brokers == 1 ? "" : "s")
                .append(")\n\n");
        out.append("| scenario | load | faults injected | writes accepted | events on the topic | applied by quota"
                + " | applied by metrics | lost | doubled | counters vs ingest inventory | metrics vs raw SQL"
                + " | recovery time | result |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|\n");
        for (FaultSuite.Row row : rows) {
            FaultCheck.Result r = row.result();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %,d | %,d%s | %,d | %,d | %d | %d | %s | %s" + " | %.1f s | %s |\n",
                    row.scenario(),
                    row.load(),
                    row.faults(),
                    r.writesAccepted(),
                    r.onTopic(),
                    r.topicDuplicates() == 0
                            ? ""
                            : String.format(Locale.ROOT, " (+%,d redelivered)", r.topicDuplicates()),
                    r.appliedByQuota(),
                    r.appliedByMetrics(),
                    r.lost(),
                    r.doubled(),
                    r.countersEqual() ? "equal" : "DIFFERENT",
                    r.metricsEqual() ? "equal" : "DIFFERENT",
                    row.recovery().toMillis() / 1000.0,
                    row.passed() ? "pass" : "FAIL"));
        }
        for (FaultSuite.Row row : rows) {
            if (!row.passed()) {
                out.append("\n").append(row.scenario()).append(":\n");
                row.findings()
                        .forEach(finding -> out.append("  - ").append(finding).append("\n"));
            }
        }
        out.append("""

                writes accepted: things, connections and events ingest answered 2xx (batches retried with their \
                Idempotency-Key through each fault) plus the import job's items. events on the topic: distinct \
                event ids of the scenario's group. applied by quota: of those, the ones of the types quota counts \
                found in its applied_events; by metrics: all of them in its own. lost: accepted writes missing from \
                ingest's tables (or from hot store + archive), events of ingest's tables missing from the topic, \
                events on the topic a consumer did not apply. doubled: items written twice, events in both the hot \
                store and the archive or in two archive objects. recovery: the longest time from a fault's end to \
                the service ready again (Kafka: from the brokers' restart to the outbox's backlog published; PostgreSQL: to all four ready; \
                retention: both rebuilds). After each scenario the stream archive in S3 must also equal the topic (each \
                partition's segments chained from offset 0, every record once with the same bytes): a difference is a \
                finding, and the scenario fails.
                """);
        return out.toString();
    }
}
