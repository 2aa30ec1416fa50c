package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Prints how many CSV rows a second {@link CsvThings} turns into thing items, read from a generated file of
 * 200,000 rows the way an import reads its spool file. A measurement, not a test: it asserts nothing. Run it with
 * the test classpath, e.g.
 * <pre>
 * java -Xmx768m -cp target/classes:target/test-classes:$(cat cp.txt) dev.strata.ingest.service.CsvThroughput
 * </pre>
 * (cp.txt from {@code mvn -o test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -pl ingest-service
 * -am}). To compare another reader, put it in {@code parsers} beside this one: the README's figures for the
 * hand-written reader this replaced came from its copy ({@code git show c486d26:ingest-service/src/main/java/
 * dev/strata/ingest/service/CsvThings.java}) measured that way, in the same JVM, rounds alternating.
 */
final class CsvThroughput {

    private static final int ROWS = 200_000;
    private static final int WARM_UP = 3;
    private static final int ROUNDS = 7;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CsvThroughput() {}

    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile("csv-throughput-", ".csv");
        try {
            write(file);
            Map<String, ToIntFunction<Reader>> parsers = new LinkedHashMap<>();
            parsers.put("jackson-dataformat-csv", CsvThroughput::jackson);
            System.out.printf("%,d rows, %,d bytes%n", ROWS, Files.size(file));
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 0; round < WARM_UP + ROUNDS; round++) {
                for (Map.Entry<String, ToIntFunction<Reader>> parser : parsers.entrySet()) {
                    double rate = rowsPerSecond(file, parser.getValue());
                    if (round >= WARM_UP) {
                        rates.computeIfAbsent(parser.getKey(), k -> new ArrayList<>())
                                .add(rate);
                    }
                }
            }
            rates.forEach((name, all) -> {
                double[] sorted =
                        all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(
                        "%-24s median %,10.0f rows/s  best %,10.0f rows/s  (%d rounds: %s)%n",
                        name,
                        sorted[sorted.length / 2],
                        sorted[sorted.length - 1],
                        sorted.length,
                        Arrays.toString(
                                Arrays.stream(sorted).mapToLong(Math::round).toArray()));
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Rows like an export: a quoted name with a comma in every tenth, an empty status, a number and a word. */
    private static void write(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("type,name,status,properties.n,properties.tag\r\n");
            for (int i = 0; i < ROWS; i++) {
                String name = i % 10 == 0 ? "\"item, " + i + "\"" : "item " + i;
                out.write((i % 2 == 0 ? "user" : "video") + "," + name + "," + (i % 3 == 0 ? "" : "active") + "," + i
                        + ",benchmark\r\n");
            }
        }
    }

    private static double rowsPerSecond(Path file, ToIntFunction<Reader> parser) throws IOException {
        try (Reader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 64 * 1024)) {
            long started = System.nanoTime();
            int rows = parser.applyAsInt(reader);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (rows != ROWS) {
                throw new IllegalStateException("read " + rows + " rows, not " + ROWS);
            }
            return rows / seconds;
        }
    }

    private static int jackson(Reader reader) {
        int rows = 0;
        try (CsvThings csv = new CsvThings(reader, MAPPER, 1_000_000)) {
            while (csv.next() != null) {
                rows++;
            }
        }
        return rows;
    }
}
