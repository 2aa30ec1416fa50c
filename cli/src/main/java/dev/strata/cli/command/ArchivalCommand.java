package dev.strata.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.StrataCommand;
import dev.strata.cli.client.StrataClient.Answer;
import dev.strata.cli.output.Figures;
import dev.strata.cli.output.ProgressDisplay;
import dev.strata.cli.output.Table;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata archival ...}: archive runs on archival-service (role admin). */
@Command(name = "archival", description = "Archive runs.", subcommands = ArchivalCommand.Run.class)
public class ArchivalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /**
     * {@code strata archival run [--wait]}: starts a run over every group (or joins the one already running, as the
     * service does) and, with {@code --wait}, follows it to its end.
     */
    @Command(
            name = "run",
            description = {
                "Start an archive run over every group and print its id.",
                "POST /archival/runs; with --wait, polls GET /archival/runs/{id} with a progress bar on stderr, then",
                "prints the run's summary: exit 0 when it succeeded with no failed event, else 1."
            })
    public static class Run extends StrataSubcommand {

        /** Batches listed in the summary; the rest are counted. */
        static final int MAX_BATCHES = 20;

        @Option(names = "--wait", description = "Wait for the run to end, with a progress bar")
        boolean wait;

        @Override
        public Integer call() {
            StrataCommand root = root();
            Answer accepted = root.client().post(root.archival(), "/archival/runs", null);
            String id = accepted.json().path("id").asText();
            if (!wait) {
                if (root.json()) {
                    printJson(accepted);
                } else {
                    root.out().println(started(accepted.json()));
                    root.out().flush();
                }
                return ExitCodes.OK;
            }
            if (!root.json()) {
                root.err().println(started(accepted.json()));
                root.err().flush();
            }
            ProgressDisplay display = new ProgressDisplay(root.err(), root.progress(), System::nanoTime);
            Answer last = new JobFollower(display, new RunShape())
                    .follow(
                            () -> root.client().get(root.archival(), "/archival/runs/" + id),
                            "GET /archival/runs/" + id);
            JsonNode run = last.json();
            if (root.json()) {
                printJson(last);
            } else {
                printSummary(run, root.out());
            }
            return "succeeded".equals(run.path("status").asText())
                            && run.path("totalFailed").asLong() == 0
                    ? ExitCodes.OK
                    : ExitCodes.JOB_FAILED;
        }

        static String started(JsonNode accepted) {
            return accepted.path("created").asBoolean(true)
                    ? "Archive run " + accepted.path("id").asText() + " started"
                    : "Archive run " + accepted.path("id").asText() + " was already running (since "
                            + accepted.path("startedAt").asText() + ")";
        }

        /** The run's outcome in one line, why it failed if it did, its manifest and its batches. */
        static void printSummary(JsonNode run, PrintWriter out) {
            out.println("Archive run " + run.path("id").asText() + " "
                    + run.path("status").asText() + " in "
                    + Figures.duration(Duration.ofMillis(run.path("totalTime").asLong())) + ": "
                    + run.path("totalArchived").asLong() + " events archived, "
                    + run.path("totalFailed").asLong()
                    + " failed, " + run.path("groupsProcessed").asInt() + " of "
                    + run.path("groupsTotal").asInt()
                    + " groups, success rate "
                    + String.format(
                            Locale.ROOT, "%.1f %%", run.path("successRate").asDouble()));
            if (run.hasNonNull("error") && !run.path("error").asText().isBlank()) {
                out.println("Error: " + run.path("error").asText());
            }
            if (run.hasNonNull("manifestKey")) {
                out.println("Manifest: " + run.path("manifestKey").asText());
            }
            if (run.path("expiredObjects").asInt() > 0) {
                out.println(
                        "Expired objects removed: " + run.path("expiredObjects").asInt());
            }
            JsonNode batches = run.path("batches");
            if (batches.isArray() && !batches.isEmpty()) {
                Table table = new Table("group", "date", "archived", "failed", "duration");
                int shown = 0;
                for (JsonNode batch : batches) {
                    if (shown++ == MAX_BATCHES) {
                        break;
                    }
                    table.row(
                            batch.path("groupId").asText(),
                            batch.path("date").asText(),
                            batch.path("archived").asLong(),
                            batch.path("failed").asLong(),
                            Figures.duration(
                                    Duration.ofMillis(batch.path("duration").asLong())));
                }
                out.print(table.render());
                if (batches.size() > MAX_BATCHES) {
                    out.println("... and " + (batches.size() - MAX_BATCHES) + " more batches (--json lists them all)");
                }
            }
            out.flush();
        }
    }

    /** {@code GET /archival/runs/{id}}: {@code progress} against what was eligible at the start. */
    static final class RunShape implements JobFollower.JobShape {

        @Override
        public String label(JsonNode run) {
            return "archive " + run.path("status").asText();
        }

        @Override
        public boolean ended(JsonNode run) {
            return !"running".equals(run.path("status").asText());
        }

        @Override
        public double percent(JsonNode run) {
            return run.path("progress").asDouble();
        }

        @Override
        public long count(JsonNode run) {
            return run.path("totalArchived").asLong() + run.path("totalFailed").asLong();
        }
    }
}
