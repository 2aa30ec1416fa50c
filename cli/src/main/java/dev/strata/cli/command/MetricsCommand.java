package dev.strata.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.client.Json;
import dev.strata.cli.client.StrataClient.Answer;
import dev.strata.cli.output.Table;
import java.io.PrintWriter;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata metrics G}: a group's key figures from metrics-service. Every scalar of {@code _computed} is
 * listed under its JSON name, so a figure the service adds shows up without a CLI release.
 */
@Command(name = "metrics", description = "A group's key figures (GET /groups/{g}/metrics).")
public class MetricsCommand extends StrataSubcommand {

    @Parameters(paramLabel = "GROUP", description = "The group's id")
    UUID group;

    @Override
    public Integer call() {
        Answer answer = root().client().get(root().metrics(), "/groups/" + group + "/metrics");
        if (root().json()) {
            printJson(answer);
        } else {
            print(answer.json(), root().out());
        }
        return ExitCodes.OK;
    }

    static void print(JsonNode metrics, PrintWriter out) {
        JsonNode freshness = metrics.path("_freshness");
        String fresh = freshness.isMissingNode()
                ? ""
                : freshness.path("stale").asBoolean()
                        ? " (stale: the stream is behind)"
                        : freshness.hasNonNull("lagMs")
                                ? " (stream lag " + freshness.path("lagMs").asText() + " ms)"
                                : "";
        out.println("Group " + metrics.path("groupId").asText() + fresh);
        JsonNode computed = metrics.path("_computed");
        Table figures = new Table("figure", "value");
        for (Map.Entry<String, JsonNode> figure : computed.properties()) {
            if (figure.getValue().isValueNode()) {
                figures.row(figure.getKey(), Json.text(figure.getValue()));
            }
        }
        out.print(figures.render());
        JsonNode top = computed.path("topContentByEngagement");
        if (top.isArray() && !top.isEmpty()) {
            out.println();
            out.println("Top content by engagement:");
            Table content = new Table("name", "type", "connections", "id");
            for (JsonNode item : top) {
                content.row(
                        item.path("name").asText(),
                        item.path("type").asText(),
                        item.path("connectionCount").asText(),
                        item.path("entityId").asText());
            }
            out.print(content.render());
        }
        out.flush();
    }
}
