package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The console in the compose file and the manifests: the image the build makes, and a gateway that reaches each of
 * the four services at an address that exists there (a compose service, a Kubernetes Service on the HTTP port).
 */
class ConsoleDeploymentTest {

    private static final String GATEWAY = "STRATA_CONSOLE_SERVICES_";

    @Test
    void shouldRunTheConsoleImageTheBuildMakesInComposeAndKubernetes() {
        assertThat(Repo.images()).containsKey(KubernetesManifestsTest.CONSOLE);
        assertThat(ComposeFileTest.image(KubernetesManifestsTest.CONSOLE))
                .isEqualTo(Repo.images().get(KubernetesManifestsTest.CONSOLE));
        Container container = KubernetesManifestsTest.container(KubernetesManifestsTest.CONSOLE);
        assertThat(container.getImage()).isEqualTo(Repo.images().get(KubernetesManifestsTest.CONSOLE));
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(KubernetesManifestsTest.named(Service.class, KubernetesManifestsTest.CONSOLE))
                .isNotNull();
    }

    @Test
    void shouldPointTheComposeGatewayAtTheFourServices() {
        Map<String, URI> gateway = gateway(ComposeFileTest.environment(KubernetesManifestsTest.CONSOLE));
        assertThat(gateway).containsOnlyKeys("ingest", "quota", "metrics", "archival");
        gateway.forEach((name, url) -> {
            assertThat(url.getHost()).as(name).isEqualTo(name + "-service");
            assertThat(ComposeFileTest.services()).as(name).containsKey(url.getHost());
            assertThat(url.getPort()).as(name).isEqualTo(Repo.containerPort());
        });
    }

    @Test
    void shouldPointTheKubernetesGatewayAtTheServicesOfTheFour() {
        Map<String, URI> gateway = gateway(KubernetesManifestsTest.environment(KubernetesManifestsTest.CONSOLE));
        assertThat(gateway).containsOnlyKeys("ingest", "quota", "metrics", "archival");
        gateway.forEach((name, url) -> {
            assertThat(url.getHost())
                    .as(name)
                    .isEqualTo(name + "-service." + KubernetesManifestsTest.NAMESPACE + ".svc");
            Service service = KubernetesManifestsTest.named(Service.class, name + "-service");
            assertThat(service.getSpec().getPorts())
                    .extracting(p -> p.getPort())
                    .as(name)
                    .contains(url.getPort());
        });
    }

    private static Map<String, URI> gateway(Map<String, String> environment) {
        Map<String, URI> gateway = new TreeMap<>();
        environment.forEach((key, value) -> {
            if (key.startsWith(GATEWAY)) {
                gateway.put(key.substring(GATEWAY.length()).toLowerCase(java.util.Locale.ROOT), URI.create(value));
            }
        });
        return gateway;
    }
}
