package dev.strata.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Benchmarks a running Strata over HTTP beside raw PostgreSQL measured in the same run, and prints one table.
 * Arguments name the suites to run ({@code ingest quota metrics archival instances scale}); by default {@code
 * ingest quota metrics archival}, in that order ({@code instances} starts JVMs of its own and {@code scale} loads ten
 * million events, so they run only when named).
 */
public final class Benchmark {

    /** One part of the benchmark; it adds its rows to the report. */
    interface Suite {
        void run(Stack stack, Report report) throws Exception;
    }

    /** Suite name to class: {@code ingest} is {@code IngestSuite}, loaded only when chosen. */
    private static final List<String> SUITES = List.of("ingest", "quota", "metrics", "archival", "instances", "scale");

    /** What runs without arguments. */
    private static final List<String> DEFAULT_SUITES = List.of("ingest", "quota", "metrics", "archival");

    public static void main(String[] args) throws Exception {
        List<String> chosen = args.length == 0 ? DEFAULT_SUITES : List.of(args);
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
                quiesce(stack);
                suite(name).run(stack, report);
            }
        } finally {
            report.print();
        }
    }

    /**
     * Lets each suite start on a quiet machine: a checkpoint writes out what the previous suite left dirty in
     * PostgreSQL's buffers (after the import, the quota suite's reads otherwise met it), then the machine's CPU
     * must be at least 85% idle for a second (at most a minute's wait). Nothing is timed here.
     */
    static void quiesce(Stack stack) throws Exception {
        long start = System.nanoTime();
        try (Connection db = stack.jdbc();
                Statement sql = db.createStatement()) {
            sql.execute("CHECKPOINT");
        }
        double idle;
        do {
            idle = idleFraction();
        } while (idle < 0.85 && System.nanoTime() - start < 60_000_000_000L);
        say(String.format(
                Locale.ROOT, "quiet after %.1f s (CPU %.0f%% idle)", (System.nanoTime() - start) / 1e9, idle * 100));
    }

    /** The share of the machine's CPU time that was idle over the next second (/proc/stat; 1 where unreadable). */
    private static double idleFraction() throws InterruptedException {
        long[] before = cpuTimes();
        Thread.sleep(1000);
        long[] after = cpuTimes();
        if (before == null || after == null || after[0] == before[0]) {
            return 1;
        }
        return (double) (after[1] - before[1]) / (after[0] - before[0]);
    }

    /** Total and idle (idle + iowait) jiffies of all CPUs, or null. */
    private static long[] cpuTimes() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException | RuntimeException e) {
            return null;
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
