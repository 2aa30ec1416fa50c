package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** deploy/k8s, parsed into fabric8's typed Kubernetes objects. */
class KubernetesManifestsTest {

    static final List<String> SERVICES = ServiceNeeds.SERVICES;
    static final String NAMESPACE = "strata";
    /** The console: a Deployment of its own beside the four services, checked by ConsoleDeploymentTest. */
    static final String CONSOLE = "console";

    static final String DIR = "deploy/k8s";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final Map<String, List<HasMetadata>> BY_FILE = parseManifests();
    static final List<HasMetadata> OBJECTS =
            BY_FILE.values().stream().flatMap(List::stream).toList();
    static final int PORT = Repo.containerPort();

    @Test
    void shouldApplyEveryManifestThroughTheKustomization() {
        Map<String, Object> kustomization = Repo.yaml(DIR + "/kustomization.yaml");
        assertThat(kustomization).containsEntry("namespace", NAMESPACE);
        assertThat(ComposeFileTest.strings(kustomization.get("resources")))
                .containsExactlyInAnyOrderElementsOf(BY_FILE.keySet());
    }

    @Test
    void shouldReadEveryDocumentAsAKnownKindWithoutUnknownFields() {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : OBJECTS) {
            String name = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                problems.add(name + ": no typed model for " + object.getApiVersion() + " " + object.getKind());
            }
            unknownFields(object, name, problems);
        }
        assertThat(problems)
                .as("kinds or fields Kubernetes does not know (typos?)")
                .isEmpty();
    }

    @Test
    void shouldPutEverythingInTheStrataNamespace() {
        assertThat(all(Namespace.class))
                .extracting(n -> n.getMetadata().getName())
                .containsExactly(NAMESPACE);
        assertThat(OBJECTS)
                .filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
                        .as(o.getMetadata().getName())
                        .isEqualTo(NAMESPACE));
    }

    @Test
    void shouldRunOnlyImagesTheImageBuildMakes() {
        assertThat(all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(SERVICES.stream(), Stream.of(CONSOLE)).toList());
        assertThat(all(Deployment.class))
                .flatExtracting(d -> d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getImage)
                .allSatisfy(image -> assertThat(Repo.images()).containsValue(image));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldRunTheServiceImageOnTheContainerPort(String service) {
        Container container = container(service);
        assertThat(container.getImage()).isEqualTo(Repo.images().get(service));
        assertThat(container.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(PORT);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldReachThePodsThroughAServiceOfTheSameName(String service) {
        Deployment deployment = deployment(service);
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels)
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Service svc = named(Service.class, service);
        Map<String, String> selector = svc.getSpec().getSelector();
        assertThat(selector).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat(all(Deployment.class))
                .filteredOn(d -> d.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(selector.entrySet()))
                .as("Deployments %s selects", service)
                .containsExactly(deployment);
        ServicePort port = svc.getSpec().getPorts().get(0);
        assertThat(port.getPort()).isEqualTo(PORT);
        assertThat(containerPort(container(service), port.getTargetPort())).isEqualTo(PORT);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldProbeReadinessAndLivenessOnTheContainerPort(String service) {
        Container container = container(service);
        assertThat(httpGet(container.getReadinessProbe()).getPath()).isEqualTo("/q/health/ready");
        assertThat(httpGet(container.getLivenessProbe()).getPath()).isEqualTo("/q/health/live");
        Stream.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())
                .filter(p -> p != null)
                .forEach(p -> assertThat(containerPort(container, httpGet(p).getPort()))
                        .isEqualTo(PORT));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldRequestAndCapResources(String service) {
        Container container = container(service);
        assertThat(container.getResources()).as("resources of %s", service).isNotNull();
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldSetEverythingTheServiceNeeds(String service) {
        Map<String, String> env = environment(service);
        assertThat(env)
                .containsKeys(ServiceNeeds.NEEDS.get(service).toArray(String[]::new))
                .allSatisfy((name, value) -> assertThat(value).as(name).isNotBlank());
    }

    /**
     * A production cluster: three copies of every event, two of which hold it before the relay is answered, so one
     * broker may be down without refusing writes (min ISR below the replication) or losing acknowledged events (min
     * ISR 2 or more); nothing expires, since consumers rebuild by replaying.
     */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldCreateTheEventTopicToSurviveABrokerAndKeepEveryEvent(String service) {
        EventTopicSettings topic = EventTopicSettings.of(service, environment(service));
        assertThat(topic.replicationFactor())
                .as("replication factor of %s", service)
                .isGreaterThanOrEqualTo(3);
        assertThat(topic.minInsyncReplicas())
                .as("min ISR of %s", service)
                .isGreaterThanOrEqualTo(2)
                .isLessThan(topic.replicationFactor());
        assertThat(topic.retentionMs()).as("retention of %s", service).isEqualTo(-1);
        assertThat(topic.maxEventBytes()).isPositive();
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldSetOnlyPropertiesTheServiceReads(String service) {
        assertThat(environment(service).keySet())
                .allSatisfy(variable -> assertThat(ServiceNeeds.IMAGE_VARIABLES.contains(variable)
                                || ServiceNeeds.propertyFor(service, variable).isPresent())
                        .as("%s reads a property that %s sets", service, variable)
                        .isTrue());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldGiveTheServiceTokenOnlyToServicesThatCallAnother(String service) {
        assertThat(environment(service).containsKey("STRATA_SERVICE_TOKEN"))
                .isEqualTo(ServiceNeeds.callsOtherServices(service));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldCallOtherServicesThroughTheirServiceNames(String service) {
        environment(service).forEach((name, value) -> {
            if (name.startsWith("QUARKUS_REST_CLIENT_") && name.endsWith("_URL")) {
                URI url = URI.create(value);
                String target = url.getHost().replaceFirst("\\.strata\\.svc(\\.cluster\\.local)?$", "");
                assertThat(url.getHost()).as(name).isNotEqualTo(target);
                assertThat(named(Service.class, target).getSpec().getPorts())
                        .as(name)
                        .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(url.getPort()));
            }
        });
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldMountTheJwtPublicKeyFromTheSecretWhereTheServiceLooksForIt(String service) {
        String location = environment(service).get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertThat(location).startsWith("file:///");
        Path file = Path.of(URI.create(location));
        Container container = container(service);
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(file.getParent()))
                .findFirst()
                .orElseThrow();
        Volume volume = deployment(service).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        Secret secret = named(Secret.class, volume.getSecret().getSecretName());
        assertThat(volume.getSecret().getItems()).anySatisfy(item -> {
            assertThat(item.getPath()).isEqualTo(file.getFileName().toString());
            assertThat(secretKeys(secret)).contains(item.getKey());
        });
    }

    @Test
    void shouldLeaveTheDailyArchivalRunToTheCronJob() {
        assertThat(environment("archival-service")).containsEntry("STRATA_ARCHIVAL_SCHEDULE_ENABLED", "false");
    }

    @Test
    void shouldPostTheDailyArchivalRunWithAnAdminTokenFromTheSecret() {
        assertThat(all(CronJob.class)).hasSize(1);
        CronJob cron = all(CronJob.class).get(0);
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 2 * * *");
        assertThat(cron.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getStartingDeadlineSeconds()).isPositive();
        JobSpec job = cron.getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).isPositive();
        assertThat(job.getBackoffLimit()).isPositive();
        assertThat(job.getTemplate().getSpec().getRestartPolicy()).isIn("Never", "OnFailure");

        assertThat(job.getTemplate().getSpec().getContainers()).hasSize(1);
        Container curl = job.getTemplate().getSpec().getContainers().get(0);
        assertThat(curl.getImage()).startsWith("curlimages/curl:");
        assertThat(curl.getResources().getLimits()).containsKey("memory");
        List<String> command = Stream.concat(list(curl.getCommand()).stream(), list(curl.getArgs()).stream())
                .toList();
        assertThat(command.get(0)).isEqualTo("curl");
        assertThat(command).containsAnyOf("--fail", "-f", "--fail-with-body");
        assertThat(argumentAfter(command, "-X", "--request")).contains("POST");

        URI url = URI.create(
                command.stream().filter(a -> a.startsWith("http")).findFirst().orElseThrow());
        Service archival = named(Service.class, "archival-service");
        assertThat(url.getHost()).isIn("archival-service.strata.svc", "archival-service.strata.svc.cluster.local");
        assertThat(url.getPort()).isEqualTo(archival.getSpec().getPorts().get(0).getPort());
        assertThat(url.getPath()).isEqualTo("/archival/runs");

        assertThat(argumentAfter(command, "-H", "--header")).contains("Authorization: Bearer $(STRATA_ADMIN_TOKEN)");
        SecretKeySelector token = list(curl.getEnv()).stream()
                .filter(e -> e.getName().equals("STRATA_ADMIN_TOKEN"))
                .findFirst()
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef();
        assertThat(secretKeys(named(Secret.class, token.getName()))).contains(token.getKey());
    }

    // ---- reading the manifests

    static Map<String, List<HasMetadata>> parseManifests() {
        Map<String, List<HasMetadata>> byFile = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repo.path(DIR))) {
            files.filter(f -> f.toString().endsWith(".yaml")
                            && !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .forEach(f -> byFile.put(f.getFileName().toString(), parse(Repo.read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byFile;
    }

    /** One object, or one per document of a multi-document file. */
    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<?> objects = parsed instanceof List<?> list ? list : List.of(parsed);
        return objects.stream().map(HasMetadata.class::cast).toList();
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return OBJECTS.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(Class<T> type, String name) {
        List<T> found = all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .toList();
        assertThat(found).as("%s %s", type.getSimpleName(), name).hasSize(1);
        return found.get(0);
    }

    static Deployment deployment(String service) {
        return named(Deployment.class, service);
    }

    static Container container(String service) {
        List<Container> containers =
                deployment(service).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /**
     * The container's environment as the kubelet builds it: envFrom ConfigMaps (values) and Secrets (marked), then
     * env entries (values, or a marker for a ConfigMap or Secret key, which must exist).
     */
    static Map<String, String> environment(String service) {
        Container container = container(service);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : list(container.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                env.putAll(
                        named(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
            if (from.getSecretRef() != null) {
                secretKeys(named(Secret.class, from.getSecretRef().getName())).forEach(k -> env.put(k, "<secret>"));
            }
        }
        for (EnvVar var : list(container.getEnv())) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
                assertThat(secretKeys(named(Secret.class, ref.getName())))
                        .as(var.getName())
                        .contains(ref.getKey());
                env.put(var.getName(), "<secret " + ref.getKey() + ">");
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                env.put(
                        var.getName(),
                        named(ConfigMap.class, ref.getName()).getData().get(ref.getKey()));
            }
        }
        return env;
    }

    static Collection<String> secretKeys(Secret secret) {
        List<String> keys = new ArrayList<>();
        Optional.ofNullable(secret.getStringData()).ifPresent(m -> keys.addAll(m.keySet()));
        Optional.ofNullable(secret.getData()).ifPresent(m -> keys.addAll(m.keySet()));
        return keys;
    }

    static HTTPGetAction httpGet(Probe probe) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet()).isNotNull();
        return probe.getHttpGet();
    }

    /** A probe's or Service's port, by number or by the container port's name. */
    static Integer containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(p -> p.getContainerPort())
                .findFirst()
                .orElse(null);
    }

    static List<String> argumentAfter(List<String> command, String... options) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i + 1 < command.size(); i++) {
            if (List.of(options).contains(command.get(i))) {
                values.add(command.get(i + 1));
            }
        }
        return values;
    }

    static <T> List<T> list(List<T> maybe) {
        return maybe == null ? List.of() : maybe;
    }

    /**
     * fabric8's model keeps fields it does not know in additionalProperties instead of failing; a misspelt field
     * (readinesProbe, limit) would otherwise pass unseen.
     */
    static void unknownFields(Object value, String path, List<String> found) {
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                unknownFields(element, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(child, path + "." + getter.getName().substring(3), found);
            }
        }
    }
}
