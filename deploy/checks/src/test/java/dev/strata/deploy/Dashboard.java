package dev.strata.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operator's Grafana dashboard, deploy/grafana/strata-operations.json, and the metrics its queries read. */
final class Dashboard {

    static final String FILE = "deploy/grafana/strata-operations.json";

    /** One PromQL query: the panel (or variable) it belongs to, and its expression. */
    record Query(String where, String expression) {}

    private Dashboard() {}

    static JsonNode json() {
        try {
            return new ObjectMapper().readTree(Repo.read(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(FILE + " is not JSON", e);
        }
    }

    /** Every panel, those inside collapsed rows too, rows left out. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** The panels' PromQL expressions. */
    static List<Query> panelQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(
                        "panel \"" + panel.path("title").asText() + "\" "
                                + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** The queries of the dashboard's query variables. */
    static List<Query> variableQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(new Query(
                        "variable $" + variable.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText()));
            }
        }
        return queries;
    }

    /** Every metric the dashboard reads, with where it reads it first. */
    static Map<String, String> metrics(JsonNode dashboard) {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (Query query : panelQueries(dashboard)) {
            PromQl.metricNames(query.expression()).forEach(name -> metrics.putIfAbsent(name, query.where()));
        }
        for (Query query : variableQueries(dashboard)) {
            PromQl.variableMetricNames(query.expression()).forEach(name -> metrics.putIfAbsent(name, query.where()));
        }
        return metrics;
    }

    /** The metric names of a Prometheus text exposition (what {@code /q/metrics} answers), samples only. */
    static Set<String> exposed(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
