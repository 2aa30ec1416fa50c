package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The per-service lists the deployment checks hold docker-compose.yml and deploy/k8s to. */
class ServiceNeedsTest {

    static final List<String> SERVICES = ServiceNeeds.SERVICES;

    @Test
    void shouldListTheServicesTheImageBuildMakes() {
        // The build also makes the console's image (ConsoleDeploymentTest); it reads no database, broker or S3.
        assertThat(Repo.images().keySet())
                .containsExactlyElementsOf(
                        java.util.stream.Stream.concat(SERVICES.stream(), java.util.stream.Stream.of("console"))
                                .toList());
        assertThat(ServiceNeeds.NEEDS.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldNeedOnlyPropertiesTheServiceReads(String service) {
        assertThat(ServiceNeeds.NEEDS.get(service))
                .allSatisfy(variable -> assertThat(ServiceNeeds.propertyFor(service, variable))
                        .as("%s reads the property %s sets", service, variable)
                        .isPresent());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldNeedEveryDefaultThatOnlyFitsTheLocalRun(String service) {
        assertThat(ServiceNeeds.localOnlyDefaults(service))
                .isNotEmpty()
                .allSatisfy(property -> assertThat(ServiceNeeds.NEEDS.get(service))
                        .as("%s defaults %s to the local run; a deployment must set it", service, property)
                        .contains(ServiceNeeds.envName(property)));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldNeedTheServiceTokenExactlyWhenTheServiceCallsAnother(String service) {
        assertThat(ServiceNeeds.NEEDS.get(service).contains("STRATA_SERVICE_TOKEN"))
                .as("%s presents the service token in its calls", service)
                .isEqualTo(ServiceNeeds.callsOtherServices(service));
    }

    @Test
    void shouldFindTheArchivalRunEndpointTheCronJobCalls() {
        String resource = Repo.read("archival-service/src/main/java/dev/strata/archival/api/ArchivalResource.java");
        assertThat(resource)
                .contains("@Path(\"/archival\")")
                .contains("@RolesAllowed(TenantAccess.ADMIN)")
                .containsPattern("@POST\\s+@Path\\(\"/runs\"\\)");
    }
}
