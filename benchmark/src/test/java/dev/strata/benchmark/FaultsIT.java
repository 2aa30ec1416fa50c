package dev.strata.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short version on the packaged services: one kill -9 of each service under load (ingest's during
 * an import job, archival's during a run), the broker down for 15 s, and the topic's archived records deleted before
 * quota and metrics are rebuilt. After each, the suite's invariants must hold: nothing lost, nothing doubled, quota's
 * counters equal to ingest's inventory, metrics' figures equal to raw SQL over ingest's tables, the stream archive
 * equal to the topic. The full suite (five kills per service, S3, PostgreSQL, offsets, a three-broker cluster) is
 * {@code benchmark/run.sh faults}.
 */
class FaultsIT {

    private static FaultSuite suite;

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("strata.root", ".."))
                .toAbsolutePath()
                .normalize();
        suite = new FaultSuite(root, Path.of("target", "faults-it").toAbsolutePath(), FaultSuite.Profile.SHORT, 1);
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            System.out.println(Faults.table(suite.rows(), 1));
            suite.close();
        }
    }

    @Test
    void everyInvariantHoldsAfterOneKillPerServiceAndTheBrokerDown() throws Exception {
        suite.run(FaultSuite.SHORT_SCENARIOS);
        List<FaultSuite.Row> rows = suite.rows();
        assertEquals(FaultSuite.SHORT_SCENARIOS.size(), rows.size());
        for (FaultSuite.Row row : rows) {
            FaultCheck.Result result = row.result();
            assertTrue(row.faults() >= 1, row.scenario() + ": no fault was injected");
            assertTrue(result.writesAccepted() > 0, row.scenario() + ": the load wrote nothing");
            assertEquals(0, result.lost(), row.scenario() + " lost writes: " + row.findings());
            assertEquals(0, result.doubled(), row.scenario() + " doubled writes: " + row.findings());
            assertTrue(result.countersEqual(), row.scenario() + ": quota's counters differ: " + row.findings());
            assertTrue(result.metricsEqual(), row.scenario() + ": metrics differ from raw SQL: " + row.findings());
            assertTrue(result.orderKept(), row.scenario() + ": order per group not kept: " + row.findings());
            assertEquals(List.of(), row.findings(), row.scenario());
        }
    }
}
