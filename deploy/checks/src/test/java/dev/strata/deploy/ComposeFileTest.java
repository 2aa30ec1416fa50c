package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** docker-compose.yml, read as YAML: the stack it starts and what each Strata service is given. */
class ComposeFileTest {

    static final List<String> SERVICES = ServiceNeeds.SERVICES;
    static final Map<String, Object> COMPOSE = Repo.yaml("docker-compose.yml");
    static final int PORT = Repo.containerPort();

    @Test
    void shouldStartTheInfrastructureTheBucketJobAndTheFourServices() {
        assertThat(services().keySet())
                .contains("postgres", "kafka", "minio", "minio-bucket", "archival-cron")
                .containsAll(SERVICES);
    }

    @Test
    void shouldRunPostgres15WithTheStrataDatabase() {
        assertThat(image("postgres")).startsWith("postgres:15");
        assertThat(environment("postgres")).containsEntry("POSTGRES_DB", "strata");
        assertThat(healthcheck("postgres")).contains("pg_isready");
    }

    @Test
    void shouldRunOneKafkaNodeInKraftModeThatNeitherCreatesTopicsNorExpiresEvents() {
        Map<String, String> env = environment("kafka");
        assertThat(image("kafka")).startsWith("apache/kafka:4.1.");
        assertThat(env.get("KAFKA_PROCESS_ROLES").split(",")).containsExactlyInAnyOrder("broker", "controller");
        assertThat(env)
                .containsKeys("KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "CLUSTER_ID")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsEntry("KAFKA_LOG_RETENTION_MS", "-1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        assertThat(healthcheck("kafka")).isNotBlank();
    }

    @Test
    void shouldCreateTheBucketsArchivalAndIngestWriteToOnceMinioIsHealthy() {
        assertThat(image("minio-bucket")).startsWith("minio/mc:");
        assertThat(dependsOn("minio-bucket")).containsEntry("minio", "service_healthy");
        String entrypoint = String.join(" ", strings(service("minio-bucket").get("entrypoint")));
        assertThat(entrypoint).contains("http://minio:9000");
        for (String bucket : List.of(
                environment("archival-service").get("STRATA_ARCHIVAL_BUCKET"),
                environment("ingest-service").get("STRATA_INGEST_IMPORTS_SPOOL_BUCKET"))) {
            assertThat(bucket).isNotBlank();
            assertThat(entrypoint).containsPattern("mc mb --ignore-existing \\w+/" + bucket + "( |$)");
        }
        assertThat(dependsOn("ingest-service")).containsEntry("minio-bucket", "service_completed_successfully");
        assertThat(healthcheck("minio")).isNotBlank();
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldBuildTheImageTheImageBuildMakes(String service) {
        Map<String, Object> build = map(service(service).get("build"));
        assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", "deploy/docker/Dockerfile.jvm");
        assertThat(map(build.get("args"))).containsEntry("SERVICE", service);
        assertThat(image(service)).isEqualTo(Repo.images().get(service));
        assertThat(Repo.path(service + "/pom.xml")).exists();
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldBeHealthyOnlyWhenReady(String service) {
        assertThat(healthcheck(service)).contains("/q/health/ready").contains("127.0.0.1/" + PORT);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldStartAfterItsInfrastructureIsHealthy(String service) {
        Map<String, String> dependsOn = dependsOn(service);
        assertThat(dependsOn).containsEntry("postgres", "service_healthy").containsEntry("kafka", "service_healthy");
        if (service.equals("archival-service")) {
            assertThat(dependsOn).containsEntry("minio-bucket", "service_completed_successfully");
        }
    }

    @Test
    void shouldDependOnlyOnServicesThatExistWithKnownConditions() {
        services()
                .keySet()
                .forEach(name -> assertThat(dependsOn(name)).allSatisfy((target, condition) -> {
                    assertThat(services()).as("%s depends on %s", name, target).containsKey(target);
                    assertThat(condition).isIn("service_started", "service_healthy", "service_completed_successfully");
                    if (condition.equals("service_healthy")) {
                        assertThat(service(target))
                                .as("%s waits for %s to be healthy", name, target)
                                .containsKey("healthcheck");
                    }
                }));
    }

    @Test
    void shouldLimitTheMemoryOfEveryContainer() {
        services().forEach((name, definition) -> {
            Object deployLimit = map(map(map(definition.get("deploy")).get("resources"))
                            .get("limits"))
                    .get("memory");
            assertThat(definition.get("mem_limit") != null || deployLimit != null)
                    .as("memory limit of %s", name)
                    .isTrue();
        });
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldSetEverythingTheServiceNeeds(String service) {
        Map<String, String> env = environment(service);
        assertThat(env)
                .as("environment of %s", service)
                .containsKeys(ServiceNeeds.NEEDS.get(service).toArray(String[]::new))
                .allSatisfy((name, value) -> assertThat(value).as(name).isNotBlank());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldCreateTheEventTopicForTheOneBrokerItRunsAndKeepEveryEvent(String service) {
        EventTopicSettings topic = EventTopicSettings.of(service, environment(service));
        int brokers = environment("kafka").get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",").length;
        assertThat(brokers).isEqualTo(1);
        assertThat(topic.replicationFactor())
                .as("replication factor of %s", service)
                .isEqualTo(brokers);
        assertThat(topic.minInsyncReplicas()).as("min ISR of %s", service).isEqualTo(1);
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
    void shouldPointEveryAddressAtTheServiceThatAnswersIt(String service) {
        Map<String, String> env = environment(service);
        URI jdbc = URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
        URI reactive = URI.create(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        for (URI database : List.of(jdbc, reactive)) {
            assertThat(database.getScheme()).isEqualTo("postgresql");
            assertThat(database.getHost()).isEqualTo("postgres");
            assertThat(database.getPath())
                    .isEqualTo("/" + environment("postgres").get("POSTGRES_DB"));
        }
        assertThat(env.get("QUARKUS_DATASOURCE_USERNAME"))
                .isEqualTo(environment("postgres").get("POSTGRES_USER"));
        assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD"))
                .isEqualTo(environment("postgres").get("POSTGRES_PASSWORD"));
        assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"))
                .contains("://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
        env.forEach((name, value) -> {
            if (name.startsWith("QUARKUS_REST_CLIENT_") && name.endsWith("_URL")) {
                URI url = URI.create(value);
                assertThat(SERVICES).as(name).contains(url.getHost());
                assertThat(url.getPort()).as(name).isEqualTo(PORT);
            }
        });
        assertThat(env.get("MP_JWT_VERIFY_ISSUER")).isNotBlank();
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void shouldMountThePublicKeyWhereTheServiceLooksForIt(String service) {
        String location = environment(service).get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertThat(location).startsWith("file:///run/secrets/");
        List<Map<String, Object>> secrets = ((List<?>) service(service).get("secrets"))
                .stream()
                        .map(s -> s instanceof Map<?, ?> ? map(s) : Map.<String, Object>of("source", s))
                        .toList();
        assertThat(secrets)
                .extracting(s -> "file:///run/secrets/" + s.getOrDefault("target", s.get("source")))
                .contains(location);
        assertThat(secrets)
                .extracting(s -> String.valueOf(s.get("source")))
                .allSatisfy(source -> assertThat(map(COMPOSE.get("secrets"))).containsKey(source));
    }

    @Test
    void shouldArchiveFromTheCronContainerOnlyWithAnAdminToken() {
        Map<String, String> archival = environment("archival-service");
        assertThat(archival)
                .containsEntry("STRATA_ARCHIVAL_SCHEDULE_ENABLED", "false")
                .containsEntry("STRATA_S3_ENDPOINT", "http://minio:9000");
        assertThat(archival.get("STRATA_S3_ACCESS_KEY"))
                .isEqualTo(environment("minio").get("MINIO_ROOT_USER"));
        assertThat(archival.get("STRATA_S3_SECRET_KEY"))
                .isEqualTo(environment("minio").get("MINIO_ROOT_PASSWORD"));

        assertThat(environment("archival-cron")).containsKey("STRATA_ADMIN_TOKEN");
        assertThat(dependsOn("archival-cron")).containsEntry("archival-service", "service_healthy");
        assertThat(String.join(" ", strings(service("archival-cron").get("entrypoint"))))
                .contains("-X POST")
                .contains("\"Authorization: Bearer $$STRATA_ADMIN_TOKEN\"")
                .contains("http://archival-service:" + PORT + "/archival/runs")
                .contains("--fail");
    }

    // ---- reading the file

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) COMPOSE.get("services");
    }

    static Map<String, Object> service(String name) {
        assertThat(services()).containsKey(name);
        return services().get(name);
    }

    static String image(String name) {
        return String.valueOf(service(name).get("image"));
    }

    static String healthcheck(String name) {
        assertThat(service(name)).as("%s has a healthcheck", name).containsKey("healthcheck");
        return String.join(" ", strings(map(service(name).get("healthcheck")).get("test")));
    }

    /** The environment, as a map whether it is written as one or as a list of NAME=value. */
    static Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            list.forEach(entry -> {
                String[] pair = String.valueOf(entry).split("=", 2);
                result.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return result;
    }

    /** depends_on as service to condition (the short list form means service_started). */
    static Map<String, String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof Map<?, ?> m) {
            m.forEach((k, v) ->
                    result.put(String.valueOf(k), String.valueOf(map(v).getOrDefault("condition", "service_started"))));
        } else if (dependsOn instanceof List<?> list) {
            list.forEach(k -> result.put(String.valueOf(k), "service_started"));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    static List<String> strings(Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(value));
    }
}
