package dev.strata.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's error answer as lines for a person: {@code status title: detail}, then each {@code errors[]} entry
 * (the item's index and field, as the services report validation failures) and any extension member (the metric
 * and limit of a {@code quota-exceeded}). An answer that is not problem+json (a proxy's HTML page) is cut short
 * rather than dumped.
 */
public final class ProblemFormat {

    static final int MAX_BODY = 300;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance", "errors");
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Payload Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private ProblemFormat() {}

    public static List<String> lines(int status, String body) {
        JsonNode problem = parse(body);
        List<String> lines = new ArrayList<>();
        if (problem == null || !problem.isObject()) {
            String text = body == null ? "" : body.strip();
            lines.add(status + " " + reason(status) + (text.isEmpty() ? " (no body)" : ": " + abbreviate(text)));
            return lines;
        }
        String title = text(problem.get("title"));
        String detail = text(problem.get("detail"));
        lines.add(status + " " + (title != null ? title : reason(status)) + (detail != null ? ": " + detail : ""));
        for (JsonNode error : problem.path("errors")) {
            lines.add("  - " + fieldError(error));
        }
        for (Map.Entry<String, JsonNode> member : problem.properties()) {
            if (!STANDARD.contains(member.getKey())) {
                JsonNode value = member.getValue();
                lines.add("  " + member.getKey() + ": " + (value.isValueNode() ? value.asText() : value.toString()));
            }
        }
        return lines;
    }

    /**
     * {@code item 3, name: must not be blank}: one entry of a problem's {@code errors} or of an import job's,
     * which share the shape {@code {index, field, error}}.
     */
    public static String fieldError(JsonNode error) {
        StringBuilder where = new StringBuilder();
        if (error.hasNonNull("index")) {
            where.append("item ").append(error.get("index").asText());
        }
        String field = text(error.get("field"));
        if (field != null) {
            where.append(where.isEmpty() ? "" : ", ").append(field);
        }
        String message = text(error.get("error"));
        if (message == null) {
            message = error.isValueNode() ? error.asText() : error.toString();
        }
        return where.isEmpty() ? message : where + ": " + message;
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, status >= 500 ? "Server Error" : "Error");
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY ? oneLine : oneLine.substring(0, MAX_BODY) + "...";
    }
}
