package dev.strata.deploy;

import static dev.strata.deploy.ComposeFileTest.environment;
import static dev.strata.deploy.ComposeFileTest.image;
import static dev.strata.deploy.ComposeFileTest.map;
import static dev.strata.deploy.ComposeFileTest.service;
import static dev.strata.deploy.ComposeFileTest.services;
import static dev.strata.deploy.ComposeFileTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The optional {@code observability} profile of docker-compose.yml: Prometheus scraping the four services
 * (deploy/compose/prometheus.yml) and Grafana provisioned with that Prometheus and the operator's dashboard
 * (deploy/grafana). Nothing else of the file belongs to a profile, so the stack is the same without it.
 */
class ObservabilityProfileTest {

    static final String PROFILE = "observability";
    static final List<String> SERVICES = ServiceNeeds.SERVICES;
    static final Map<String, Object> PROMETHEUS = Repo.yaml("deploy/compose/prometheus.yml");
    static final Map<String, Object> DATASOURCES = Repo.yaml("deploy/grafana/provisioning/datasources/prometheus.yml");
    static final Map<String, Object> DASHBOARDS = Repo.yaml("deploy/grafana/provisioning/dashboards/strata.yml");

    @Test
    void shouldStartPrometheusAndGrafanaOnlyInTheObservabilityProfile() {
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(strings(service(name).get("profiles")))
                    .as("profiles of %s", name)
                    .containsExactly(PROFILE);
        }
        services().forEach((name, definition) -> {
            if (!List.of("prometheus", "grafana").contains(name)) {
                assertThat(definition).as("%s runs without any profile", name).doesNotContainKey("profiles");
                assertThat(ComposeFileTest.dependsOn(name))
                        .as("%s waits for none of them", name)
                        .doesNotContainKeys("prometheus", "grafana");
            }
        });
    }

    @Test
    void shouldPinBothImages() {
        assertThat(image("prometheus")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat(image("grafana")).matches("grafana/grafana(-oss)?:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void shouldGivePrometheusTheScrapeConfigurationOfTheRepository() {
        Map<String, String> mounts = binds("prometheus");
        assertThat(mounts).containsEntry("/etc/prometheus/prometheus.yml", "./deploy/compose/prometheus.yml");
        assertThat(String.join(" ", strings(service("prometheus").get("command"))))
                .contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldScrapeTheMetricsOfEveryService(String service) {
        List<Map<String, Object>> jobs = scrapeConfigs().stream()
                .filter(job -> job.get("job_name").equals(service))
                .toList();
        assertThat(jobs).as("scrape job %s", service).hasSize(1);
        Map<String, Object> job = jobs.get(0);
        assertThat(job).containsEntry("metrics_path", "/q/metrics");
        List<String> targets = ((List<?>) job.get("static_configs"))
                .stream()
                        .flatMap(config -> strings(map(config).get("targets")).stream())
                        .toList();
        assertThat(targets).containsExactly(service + ":" + Repo.containerPort());
        assertThat(services()).containsKey(service);
    }

    @Test
    void shouldProvisionGrafanaWithThatPrometheusAsTheDefaultDatasource() {
        assertThat(binds("grafana")).containsEntry("/etc/grafana/provisioning", "./deploy/grafana/provisioning");
        List<?> datasources = (List<?>) DATASOURCES.get("datasources");
        assertThat(datasources).hasSize(1);
        Map<String, Object> prometheus = map(datasources.get(0));
        assertThat(prometheus).containsEntry("type", "prometheus").containsEntry("isDefault", true);
        URI url = URI.create(String.valueOf(prometheus.get("url")));
        assertThat(services()).containsKey(url.getHost());
        assertThat(image(url.getHost())).startsWith("prom/prometheus:");
        assertThat(url.getPort()).isEqualTo(9090);
    }

    @Test
    void shouldProvisionTheDashboardOfTheRepository() {
        List<?> providers = (List<?>) DASHBOARDS.get("providers");
        assertThat(providers).hasSize(1);
        Map<String, Object> provider = map(providers.get(0));
        assertThat(provider).containsEntry("type", "file");
        String path = String.valueOf(map(provider.get("options")).get("path"));
        Map<String, String> mounts = binds("grafana");
        assertThat(mounts)
                .as("the dashboard under the provider's path %s", path)
                .containsEntry(path + "/strata-operations.json", "./" + Dashboard.FILE);
        assertThat(Repo.path(Dashboard.FILE)).isRegularFile();
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo(path + "/strata-operations.json");
    }

    @Test
    void shouldPublishBothOnlyOnThisMachine() {
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(strings(service(name).get("ports")))
                    .as("ports of %s", name)
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        }
    }

    /** The bind mounts of a service, as container path to host path (relative to the repository). */
    private static Map<String, String> binds(String name) {
        Map<String, String> binds = new LinkedHashMap<>();
        for (String volume : strings(service(name).get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                binds.put(parts[1], parts[0]);
                assertThat(Repo.path(parts[0].substring(2)))
                        .as("%s mounts %s", name, parts[0])
                        .exists();
            }
        }
        return binds;
    }

    private static List<Map<String, Object>> scrapeConfigs() {
        return ((List<?>) PROMETHEUS.get("scrape_configs"))
                .stream().map(ComposeFileTest::map).toList();
    }
}
