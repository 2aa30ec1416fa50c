package dev.strata.cli;

import dev.strata.cli.client.Json;
import dev.strata.cli.client.Service;
import dev.strata.cli.client.StrataClient;
import dev.strata.cli.client.Tokens;
import dev.strata.cli.command.ArchivalCommand;
import dev.strata.cli.command.GroupsCommand;
import dev.strata.cli.command.ImportCommand;
import dev.strata.cli.command.MetricsCommand;
import dev.strata.cli.command.QuotasCommand;
import dev.strata.cli.output.ProgressDisplay;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code strata}: the options every command shares (where the services are, the token, {@code --json}) and the
 * commands. The options are inherited, so they may stand before or after the command's name.
 */
@TopCommand
@Command(
        name = "strata",
        mixinStandardHelpOptions = true,
        versionProvider = CliVersion.class,
        scope = ScopeType.INHERIT,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Command-line client of Strata's ingest, quota, metrics and archival services.",
        subcommands = {
            ImportCommand.class,
            GroupsCommand.class,
            QuotasCommand.class,
            MetricsCommand.class,
            ArchivalCommand.class
        },
        footerHeading = "%nToken:%n",
        footer = {
            "  STRATA_TOKEN or --token; failing that, a development admin token minted with",
            "  the local run's key $STRATA_HOME/keys/jwt-private.pem (STRATA_HOME: .strata).",
            "",
            "Exit codes:",
            "  0  done (a job or run: succeeded with no failed item)",
            "  1  the import job or archive run failed, or some of its items did",
            "  2  usage error, or FILE cannot be read",
            "  3  a service answered with an error (its problem is printed)",
            "  4  a service could not be reached",
            "  5  no token, and no local key to mint one"
        })
public class StrataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ingest-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:STRATA_INGEST_URL:-http://127.0.0.1:8081}",
            description = "ingest-service (env STRATA_INGEST_URL; default ${DEFAULT-VALUE})")
    URI ingestUrl;

    @Option(
            names = "--quota-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:STRATA_QUOTA_URL:-http://127.0.0.1:8082}",
            description = "quota-service (env STRATA_QUOTA_URL; default ${DEFAULT-VALUE})")
    URI quotaUrl;

    @Option(
            names = "--metrics-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:STRATA_METRICS_URL:-http://127.0.0.1:8083}",
            description = "metrics-service (env STRATA_METRICS_URL; default ${DEFAULT-VALUE})")
    URI metricsUrl;

    @Option(
            names = "--archival-url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:STRATA_ARCHIVAL_URL:-http://127.0.0.1:8084}",
            description = "archival-service (env STRATA_ARCHIVAL_URL; default ${DEFAULT-VALUE})")
    URI archivalUrl;

    @Option(
            names = "--token",
            paramLabel = "JWT",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:STRATA_TOKEN}",
            description = "Bearer token (env STRATA_TOKEN)")
    String token;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print the service's JSON answer instead of tables")
    boolean json;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            scope = ScopeType.INHERIT,
            defaultValue = "auto",
            description = "auto, bar, lines or off (auto: a bar on a terminal, a line every few seconds elsewhere)")
    ProgressDisplay.Mode progress;

    private StrataClient client;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public Service ingest() {
        return new Service("ingest-service", ingestUrl, "--ingest-url", "STRATA_INGEST_URL");
    }

    public Service quota() {
        return new Service("quota-service", quotaUrl, "--quota-url", "STRATA_QUOTA_URL");
    }

    public Service metrics() {
        return new Service("metrics-service", metricsUrl, "--metrics-url", "STRATA_METRICS_URL");
    }

    public Service archival() {
        return new Service("archival-service", archivalUrl, "--archival-url", "STRATA_ARCHIVAL_URL");
    }

    public boolean json() {
        return json;
    }

    public ProgressDisplay.Mode progress() {
        return progress;
    }

    public StrataClient client() {
        if (client == null) {
            client = new StrataClient(() -> Tokens.resolve(token, home()), Json.mapper());
        }
        return client;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static Path home() {
        String home = System.getenv("STRATA_HOME");
        return Path.of(home == null || home.isBlank() ? ".strata" : home);
    }
}
