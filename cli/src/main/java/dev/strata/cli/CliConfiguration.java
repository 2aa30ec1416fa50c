package dev.strata.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The command line Quarkus runs, with the CLI's error handling. */
@ApplicationScoped
public class CliConfiguration {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return configure(factory.create());
    }

    /**
     * A {@link CliException} prints its lines and exits with its code; anything else is a bug of the CLI, said so in
     * one line rather than a stack trace.
     */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof CliException failure) {
                failure.lines().forEach(err::println);
                err.flush();
                return failure.exitCode();
            }
            err.println("strata: internal error: " + e);
            err.flush();
            return ExitCodes.INTERNAL;
        });
    }
}
