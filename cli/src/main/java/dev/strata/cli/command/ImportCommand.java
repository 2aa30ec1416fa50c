package dev.strata.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliException;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.StrataCommand;
import dev.strata.cli.client.StrataClient.Answer;
import dev.strata.cli.output.Figures;
import dev.strata.cli.output.ProblemFormat;
import dev.strata.cli.output.ProgressBar;
import dev.strata.cli.output.ProgressDisplay;
import dev.strata.cli.output.ProgressMeter;
import dev.strata.cli.output.ProgressMeter.Reading;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata import FILE --group G}: uploads FILE as an import job on ingest-service, follows the job to its end
 * and prints what it did, item errors included. The file is streamed, never held; the job runs on the server, so a
 * CLI that is stopped or loses the connection leaves it running.
 */
@Command(
        name = "import",
        description = {
            "Import things from an NDJSON or CSV file and follow the job to its end.",
            "Uploads FILE (POST /groups/{g}/imports), polls the job (GET /imports/{id}) with a progress bar on stderr,",
            "then prints its summary and item errors. Exit 0 when the job succeeded with no failed item, else 1."
        })
public class ImportCommand extends StrataSubcommand {

    /** The body formats ingest-service takes for an import. */
    public enum Format {
        NDJSON("application/x-ndjson"),
        CSV("text/csv");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        /** {@code .csv} is CSV; anything else is taken for NDJSON, the format of choice for big imports. */
        static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : NDJSON;
        }
    }

    @Parameters(paramLabel = "FILE", description = "NDJSON (one thing per line) or CSV (type,name,status,properties.*)")
    Path file;

    @Option(names = "--group", required = true, paramLabel = "G", description = "The group's id")
    UUID group;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "ndjson or csv (default: csv for a .csv file, else ndjson)")
    Format format;

    @Option(
            names = "--default-status",
            paramLabel = "STATUS",
            description = "Status of the things that give none (draft, active, published, archived)")
    String defaultStatus;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file + ": not a readable file.");
        }
        StrataCommand root = root();
        Format chosen = format != null ? format : Format.of(file);
        ProgressDisplay display = new ProgressDisplay(root.err(), root.progress(), System::nanoTime);

        String path = "/groups/" + group + "/imports"
                + (defaultStatus == null
                        ? ""
                        : "?defaultStatus=" + URLEncoder.encode(defaultStatus, StandardCharsets.UTF_8));
        Answer accepted = upload(root, path, chosen, display);
        String id = accepted.json().path("id").asText();
        Answer last = new JobFollower(display, new ImportShape())
                .follow(() -> root.client().get(root.ingest(), "/imports/" + id), "GET /imports/" + id);
        JsonNode job = last.json();
        if (root.json()) {
            printJson(last);
        } else {
            printSummary(job, root.out());
        }
        return "succeeded".equals(job.path("status").asText())
                        && job.path("failed").asLong() == 0
                ? ExitCodes.OK
                : ExitCodes.JOB_FAILED;
    }

    private Answer upload(StrataCommand root, String path, Format chosen, ProgressDisplay display) {
        long size = size(file);
        ProgressMeter meter = new ProgressMeter();
        String label = "upload";
        display.holdFirstLine();
        try {
            Answer answer = root.client().upload(root.ingest(), path, file, chosen.contentType, sent -> {
                Reading reading = meter.read(System.nanoTime(), size == 0 ? 100 : sent * 100.0 / size, sent);
                display.update(
                        ProgressBar.withBar(label, reading, ProgressBar.Unit.BYTES),
                        ProgressBar.plain(label, reading, ProgressBar.Unit.BYTES));
            });
            Reading done = meter.read(System.nanoTime(), 100, size);
            done = new Reading(100, size, done.perSecond(), Duration.ZERO, done.elapsed());
            display.finish(
                    ProgressBar.withBar(label, done, ProgressBar.Unit.BYTES),
                    ProgressBar.plain(label, done, ProgressBar.Unit.BYTES) + ", import job "
                            + answer.json().path("id").asText());
            return answer;
        } catch (CliException e) {
            display.abandon();
            throw e;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code Import <id> succeeded in 2.1s: 3000 processed, 3000 created, 0 failed}, why a failed job stopped, and
     * the item errors the service kept (it keeps the first ones and counts them all).
     */
    static void printSummary(JsonNode job, PrintWriter out) {
        String took = took(job);
        out.println(
                "Import " + job.path("id").asText() + " " + job.path("status").asText()
                        + (took == null ? "" : " in " + took) + ": "
                        + job.path("processed").asLong() + " processed, "
                        + job.path("created").asLong() + " created, "
                        + job.path("failed").asLong() + " failed");
        if (job.hasNonNull("error") && !job.path("error").asText().isBlank()) {
            out.println("Error: " + job.path("error").asText());
        }
        JsonNode errors = job.path("errors");
        long failed = job.path("failed").asLong();
        if (errors.isArray() && !errors.isEmpty()) {
            out.println(
                    errors.size() < failed ? "Errors (the first " + errors.size() + " of " + failed + "):" : "Errors:");
            for (JsonNode error : errors) {
                out.println("  " + ProblemFormat.fieldError(error));
            }
        }
        out.flush();
    }

    private static String took(JsonNode job) {
        try {
            if (job.hasNonNull("startedAt") && job.hasNonNull("finishedAt")) {
                return Figures.duration(Duration.between(
                        Instant.parse(job.path("startedAt").asText()),
                        Instant.parse(job.path("finishedAt").asText())));
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    /** {@code GET /imports/{id}}: percent of the body read, items processed, ended when succeeded or failed. */
    static final class ImportShape implements JobFollower.JobShape {

        @Override
        public String label(JsonNode job) {
            return "import " + job.path("status").asText();
        }

        @Override
        public boolean ended(JsonNode job) {
            String status = job.path("status").asText();
            return status.equals("succeeded") || status.equals("failed");
        }

        @Override
        public double percent(JsonNode job) {
            return job.path("percent").asDouble();
        }

        @Override
        public long count(JsonNode job) {
            return job.path("processed").asLong();
        }
    }
}
