package dev.strata.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmarks a running Strata over HTTP beside raw PostgreSQL measured in the same run, and prints one table.
 * Arguments name the suites to run ({@code ingest quota metrics archival}; all of them by default, in that order).
 */
public final class Benchmark {

    /** One part of the benchmark; it adds its rows to the report. */
    interface Suite {
        void run(Stack stack, Report report) throws Exception;
    }

    private static final Map<String, Suite> SUITES = new LinkedHashMap<>();

    static {
        SUITES.put("ingest", new IngestSuite());
    }

    public static void main(String[] args) throws Exception {
        List<String> chosen = args.length == 0 ? new ArrayList<>(SUITES.keySet()) : List.of(args);
        for (String name : chosen) {
            if (!SUITES.containsKey(name)) {
                System.err.println("unknown suite '" + name + "'; suites: " + String.join(" ", SUITES.keySet()));
                System.exit(2);
            }
        }
        Stack stack = new Stack();
        Report report = new Report();
        try {
            for (String name : chosen) {
                say("== " + name);
                SUITES.get(name).run(stack, report);
            }
        } finally {
            report.print();
        }
    }

    static void say(String line) {
        System.err.println(line);
    }
}
