package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/strata-operations.json read as JSON: a dashboard Grafana provisions as it is, on the data source its
 * variable names, each panel's queries reading metrics. Whether the services expose those metrics is
 * DashboardMetricsIT's (it needs the packaged services); that each Strata metric is documented is checked here.
 */
class DashboardTest {

    static final JsonNode DASHBOARD = Dashboard.json();

    @Test
    void shouldBeADashboardOfARecentSchemaWithAStableUid() {
        assertThat(DASHBOARD.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(DASHBOARD.path("uid").asText()).isEqualTo("strata-operations");
        assertThat(DASHBOARD.path("title").asText()).isNotBlank();
        // Provisioned from a file: no import-time inputs, which provisioning would leave unresolved.
        assertThat(DASHBOARD.has("__inputs")).isFalse();
    }

    @Test
    void shouldQueryPrometheusThroughTheDatasourceVariableInEveryPanelAndQuery() {
        JsonNode variable = variable("DS_PROMETHEUS");
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        List<JsonNode> panels = Dashboard.panels(DASHBOARD);
        assertThat(panels).isNotEmpty().allSatisfy(panel -> {
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(title).isNotEmpty().allSatisfy(target -> {
                assertThat(target.path("datasource").path("uid").asText())
                        .as(title)
                        .isEqualTo("${DS_PROMETHEUS}");
                assertThat(target.path("expr").asText()).as(title).isNotBlank();
            });
        });
        assertThat(variable("job").path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
    }

    @Test
    void shouldGiveEveryPanelItsOwnIdAndAPlaceInTheGrid() {
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> all = new ArrayList<>();
        DASHBOARD.path("panels").forEach(all::add);
        assertThat(all).allSatisfy(panel -> {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("id %s", panel.path("id"))
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("w").asInt()).isBetween(1, 24);
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).isPositive();
        });
    }

    @Test
    void shouldReadAtLeastOneMetricInEveryQuery() {
        assertThat(Dashboard.panelQueries(DASHBOARD))
                .allSatisfy(query -> assertThat(PromQl.metricNames(query.expression()))
                        .as(query.where())
                        .isNotEmpty());
    }

    @Test
    void shouldShowWhatTheOperatorWatches() {
        assertThat(Dashboard.metrics(DASHBOARD).keySet())
                .contains(
                        "strata_ingest_rows_total",
                        "strata_outbox_backlog",
                        "strata_outbox_lag_seconds",
                        "strata_stream_lag_records",
                        "strata_stream_quarantine_open",
                        "strata_quota_reservations_total",
                        "strata_quota_reservations_open",
                        "strata_archival_objects_total",
                        "strata_archival_written_bytes_total",
                        "http_server_requests_seconds_bucket",
                        "jvm_memory_used_bytes");
    }

    @Test
    void shouldHaveEveryStrataMetricItReadsDocumentedInAServiceReadme() {
        String readmes = String.join(
                "\n",
                ServiceNeeds.SERVICES.stream()
                        .map(service -> Repo.read(service + "/README.md"))
                        .toList());
        Map<String, String> metrics = Dashboard.metrics(DASHBOARD);
        assertThat(metrics.keySet().stream().filter(name -> name.startsWith("strata_")))
                .allSatisfy(name -> assertThat(readmes)
                        .as("%s (%s) in a README", name, metrics.get(name))
                        .contains("`" + name + "`"));
    }

    private static JsonNode variable(String name) {
        for (JsonNode variable : DASHBOARD.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name);
    }
}
