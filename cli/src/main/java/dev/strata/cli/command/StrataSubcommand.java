package dev.strata.cli.command;

import dev.strata.cli.StrataCommand;
import dev.strata.cli.client.StrataClient.Answer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that does something: it reaches the shared options through the top command. */
abstract class StrataSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    StrataCommand root() {
        return (StrataCommand) spec.root().userObject();
    }

    /** {@code --json}: the answer's body as the service sent it. */
    void printJson(Answer answer) {
        root().out().println(answer.body().strip());
        root().out().flush();
    }
}
