package dev.strata.cli.command;

import dev.strata.cli.ExitCodes;
import dev.strata.cli.client.StrataClient.Answer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata groups ...}: groups (tenants) on ingest-service. */
@Command(name = "groups", description = "Groups (tenants).", subcommands = GroupsCommand.Create.class)
public class GroupsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code strata groups create --name N --plan P}: prints the new group's id alone, for {@code G=$(...)}. */
    @Command(name = "create", description = "Create a group (POST /groups on ingest-service); prints its id.")
    public static class Create extends StrataSubcommand {

        @Option(names = "--name", required = true, description = "The group's name")
        String name;

        @Option(
                names = "--plan",
                defaultValue = "starter",
                description = "starter, pro or enterprise (default ${DEFAULT-VALUE})")
        String plan;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("plan", plan);
            Answer answer = root().client().post(root().ingest(), "/groups", body);
            if (root().json()) {
                printJson(answer);
            } else {
                root().out().println(answer.json().path("id").asText());
                root().out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
