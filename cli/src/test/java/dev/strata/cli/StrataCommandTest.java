package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.output.ProgressDisplay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as picocli parses and runs it, without Quarkus and without services. */
class StrataCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(StrataCommand root, String... args) {
        CommandLine commandLine = CliConfiguration.configure(new CommandLine(root));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldTakeTheSharedOptionsBeforeOrAfterTheCommand() {
        StrataCommand root = new StrataCommand();
        CliConfiguration.configure(new CommandLine(root))
                .parseArgs(
                        "--quota-url",
                        "http://quota:9",
                        "quotas",
                        "6b1e0c1a-0000-4000-8000-000000000001",
                        "--json",
                        "--progress",
                        "lines");

        assertThat(root.quota().base()).isEqualTo(URI.create("http://quota:9"));
        assertThat(root.json()).isTrue();
        assertThat(root.progress()).isEqualTo(ProgressDisplay.Mode.LINES);
    }

    @Test
    void shouldDefaultToTheLocalRunsPorts() {
        StrataCommand root = new StrataCommand();
        CliConfiguration.configure(new CommandLine(root)).parseArgs("metrics", "6b1e0c1a-0000-4000-8000-000000000001");

        // Unless the environment of this test run names other addresses.
        if (System.getenv("STRATA_INGEST_URL") == null) {
            assertThat(root.ingest().base()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        }
        if (System.getenv("STRATA_ARCHIVAL_URL") == null) {
            assertThat(root.archival().base()).isEqualTo(URI.create("http://127.0.0.1:8084"));
        }
    }

    @Test
    void shouldNameTheOptionToFixWhenAServiceCannotBeReached() {
        int code = run(
                new StrataCommand(),
                "--token",
                "t",
                "--quota-url",
                "http://127.0.0.1:1",
                "quotas",
                "6b1e0c1a-0000-4000-8000-000000000001");

        assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(err.toString())
                .contains("Cannot reach quota-service at http://127.0.0.1:1/groups/")
                .contains("--quota-url or STRATA_QUOTA_URL");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldAnswerAUsageErrorWithCodeTwo() {
        int code = run(new StrataCommand(), "quotas", "not-a-uuid");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("GROUP");
    }

    @Test
    void shouldRefuseAFileThatCannotBeRead() {
        int code = run(
                new StrataCommand(),
                "--token",
                "t",
                "import",
                "no/such/file.ndjson",
                "--group",
                "6b1e0c1a-0000-4000-8000-000000000001");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Cannot read no/such/file.ndjson");
    }

    @Test
    void shouldPrintUsageForAGroupOfCommandsWithoutItsCommand() {
        int code = run(new StrataCommand(), "archival");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("run");
    }
}
