package dev.strata.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's table: one row per scenario with its median, p95 and p99, the rate at the median, the raw
 * PostgreSQL baseline measured in the same run, the ratio, the goal and whether it is met. Rows are echoed to
 * stderr as they come, and the whole table goes to stdout at the end (Markdown, so it can be pasted).
 */
final class Report {

    /** One line of the table; {@code rawMs}/{@code ratio} may be NaN/blank when a scenario has no baseline. */
    record Row(
            String scenario,
            int runs,
            double medianMs,
            double p95Ms,
            double p99Ms,
            String rate,
            double rawMs,
            String ratio,
            String goal,
            Boolean met) {}

    /**
     * A further table printed after the main one, for figures that are not timings (bytes per event, say). Rows
     * are echoed to stderr as they come, so a suite that stops half way still shows what it measured.
     */
    static final class Table {
        private final String title;
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        private Table(String title, List<String> header) {
            this.title = title;
            this.header = List.copyOf(header);
        }

        void add(List<String> cells) {
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException(
                        title + ": " + cells.size() + " cells for " + header.size() + " columns");
            }
            rows.add(List.copyOf(cells));
            Benchmark.say(line(cells));
        }

        private void print() {
            System.out.println();
            System.out.println(title);
            System.out.println();
            System.out.println(line(header));
            System.out.println(line(header.stream().map(h -> "---").toList()));
            rows.forEach(row -> System.out.println(line(row)));
        }

        private static String line(List<String> cells) {
            return "| " + String.join(" | ", cells) + " |";
        }
    }

    private final List<String> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();

    /** A new table, printed after the main table in the order the tables were made. */
    Table table(String title, List<String> header) {
        Table table = new Table(title, header);
        tables.add(table);
        return table;
    }

    void add(Row row) {
        String line = String.format(
                Locale.ROOT,
                "| %-34s | %5d | %9s | %9s | %9s | %12s | %9s | %-14s | %-24s | %-3s |",
                row.scenario(),
                row.runs(),
                ms(row.medianMs()),
                ms(row.p95Ms()),
                ms(row.p99Ms()),
                row.rate(),
                ms(row.rawMs()),
                row.ratio(),
                row.goal(),
                row.met() == null ? "" : row.met() ? "yes" : "NO");
        lines.add(line);
        Benchmark.say(line);
    }

    /** A row timed against a raw baseline: ratio = Strata median / raw median. */
    void timed(String scenario, long rows, Stats strata, Stats raw, String goal, Boolean met) {
        double ratio = raw == null ? Double.NaN : strata.median() / raw.median();
        add(new Row(
                scenario,
                strata.runs(),
                strata.median(),
                strata.p95(),
                strata.p99(),
                rows <= 0 ? "" : String.format(Locale.ROOT, "%,.0f rows/s", rows / (strata.median() / 1000.0)),
                raw == null ? Double.NaN : raw.median(),
                raw == null ? "" : String.format(Locale.ROOT, "%.2f", ratio),
                goal,
                met));
    }

    void note(String note) {
        notes.add(note);
        Benchmark.say(note);
    }

    void print() {
        System.out.println();
        System.out.println("| scenario                           |  runs | median ms |    p95 ms |    p99 ms |"
                + "         rate |    raw ms | ratio          | goal                     | met |");
        System.out.println("|------------------------------------|-------|-----------|-----------|-----------|"
                + "--------------|-----------|----------------|--------------------------|-----|");
        lines.forEach(System.out::println);
        tables.forEach(Table::print);
        System.out.println();
        notes.forEach(System.out::println);
        System.out.println("ratio = Strata median / raw PostgreSQL median for the same work, measured in this run"
                + " (for rates: Strata's rate / raw rate).");
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, value >= 1000 ? "%,.0f" : "%.1f", value);
    }
}
