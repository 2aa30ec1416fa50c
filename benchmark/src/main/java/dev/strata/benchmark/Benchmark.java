package dev.strata.benchmark;

import java.util.List;

/**
 * Benchmarks a running Strata over HTTP beside raw PostgreSQL measured in the same run, and prints one table.
 * Arguments name the suites to run ({@code ingest quota metrics archival}; all of them by default, in that order).
 */
public final class Benchmark {

    /** One part of the benchmark; it adds its rows to the report. */
    interface Suite {
        void run(Stack stack, Report report) throws Exception;
    }

    /** Suite name to class: {@code ingest} is {@code IngestSuite}, loaded only when chosen. */
    private static final List<String> SUITES = List.of("ingest", "quota", "metrics", "archival");

    public static void main(String[] args) throws Exception {
        List<String> chosen = args.length == 0 ? SUITES : List.of(args);
        for (String name : chosen) {
            if (!SUITES.contains(name)) {
                System.err.println("unknown suite '" + name + "'; suites: " + String.join(" ", SUITES));
                System.exit(2);
            }
        }
        Stack stack = new Stack();
        Report report = new Report();
        try {
            for (String name : chosen) {
                say("== " + name);
                suite(name).run(stack, report);
            }
        } finally {
            report.print();
        }
    }

    private static Suite suite(String name) throws ReflectiveOperationException {
        String className = Benchmark.class.getPackageName() + "." + Character.toUpperCase(name.charAt(0))
                + name.substring(1) + "Suite";
        return (Suite) Class.forName(className).getDeclaredConstructor().newInstance();
    }

    static void say(String line) {
        System.err.println(line);
    }
}
