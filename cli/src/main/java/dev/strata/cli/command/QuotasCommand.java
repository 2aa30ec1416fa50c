package dev.strata.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.client.Json;
import dev.strata.cli.client.StrataClient.Answer;
import dev.strata.cli.output.Table;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata quotas G}: a group's usage against its plan's limits, from quota-service. */
@Command(name = "quotas", description = "A group's usage, limits and status per metric (GET /groups/{g}/quotas).")
public class QuotasCommand extends StrataSubcommand {

    @Parameters(paramLabel = "GROUP", description = "The group's id")
    UUID group;

    @Override
    public Integer call() {
        Answer answer = root().client().get(root().quota(), "/groups/" + group + "/quotas");
        if (root().json()) {
            printJson(answer);
        } else {
            print(answer.json(), root().out());
        }
        return ExitCodes.OK;
    }

    /** The metrics in the service's order, then the warnings (or that there are none). */
    static void print(JsonNode quotas, PrintWriter out) {
        out.println("Group " + quotas.path("groupId").asText() + ", plan "
                + quotas.path("plan").asText());
        Table table = new Table("metric", "current", "limit", "percent", "status");
        for (Map.Entry<String, JsonNode> metric : quotas.path("quotas").properties()) {
            JsonNode quota = metric.getValue();
            table.row(
                    metric.getKey(),
                    number(quota.get("current")),
                    limit(quota.get("limit")),
                    percent(quota.get("percentUsed")),
                    text(quota.get("status")));
        }
        out.print(table.render());
        JsonNode warnings = quotas.path("warnings");
        if (warnings.isEmpty()) {
            out.println("No warnings.");
        } else {
            out.println("Warnings:");
            for (JsonNode warning : warnings) {
                out.println("  " + warning.path("metric").asText() + ": " + number(warning.get("current")) + " of "
                        + limit(warning.get("limit")) + " (" + percent(warning.get("percentUsed")) + "), "
                        + warning.path("status").asText());
            }
        }
        out.flush();
    }

    static String number(JsonNode value) {
        return Json.text(value);
    }

    static String limit(JsonNode value) {
        return value == null || value.isNull() ? "unlimited" : Json.text(value);
    }

    static String percent(JsonNode value) {
        return value == null || value.isNull() ? null : String.format(Locale.ROOT, "%.1f %%", value.asDouble());
    }

    static String text(JsonNode value) {
        return Json.text(value);
    }
}
