package dev.strata.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service needs from the environment of a deployment, and which configuration properties it reads at all.
 * The fixed lists below are the contract that docker-compose.yml and deploy/k8s must both meet; ServiceNeedsTest
 * keeps them honest against the services' own configuration (a default that only fits the local run must be
 * among them), so a new such default fails the build until the deployments set it.
 */
final class ServiceNeeds {

    static final List<String> SERVICES =
            List.of("ingest-service", "quota-service", "metrics-service", "archival-service");

    /**
     * Every service: its database (JDBC for Flyway, reactive for requests), Kafka and the event topic it creates, and
     * how to verify a JWT.
     */
    static final List<String> COMMON = List.of(
            "QUARKUS_DATASOURCE_JDBC_URL",
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD",
            "KAFKA_BOOTSTRAP_SERVERS",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MP_JWT_VERIFY_ISSUER",
            // The event topic's durability and size: the defaults (replication 1, min ISR 1) fit one local broker
            // only, so every deployment says what its cluster takes (EventTopicSettings).
            EventTopicSettings.REPLICATION_FACTOR,
            EventTopicSettings.MIN_INSYNC_REPLICAS,
            EventTopicSettings.RETENTION_MS,
            EventTopicSettings.MAX_EVENT_BYTES);

    /**
     * Per service: COMMON plus the addresses of the services it calls with the service token (ingest reserves quota
     * and reads the plans, quota reconciles against ingest's inventory, metrics reads API-call allowances, archival
     * reads each group's retention), the S3 store of archival (which writes the archives), of quota and metrics
     * (whose rebuilds read the stream archive) and of ingest (which keeps import bodies there, so any replica can run
     * any job), and archival's in-process schedule off because a CronJob (or
     * compose's archival-cron) starts the daily run.
     */
    static final Map<String, List<String>> NEEDS = Map.of(
            "ingest-service",
                    with(
                            "STRATA_SERVICE_TOKEN",
                            "QUARKUS_REST_CLIENT_QUOTA_URL",
                            "STRATA_INGEST_IMPORTS_SPOOL_STORE",
                            "STRATA_S3_ENDPOINT",
                            "STRATA_S3_ACCESS_KEY",
                            "STRATA_S3_SECRET_KEY"),
            "quota-service",
                    with(
                            "STRATA_SERVICE_TOKEN",
                            "QUARKUS_REST_CLIENT_INGEST_URL",
                            "STRATA_S3_ENDPOINT",
                            "STRATA_S3_ACCESS_KEY",
                            "STRATA_S3_SECRET_KEY"),
            "metrics-service",
                    with(
                            "STRATA_SERVICE_TOKEN",
                            "QUARKUS_REST_CLIENT_QUOTA_URL",
                            "STRATA_S3_ENDPOINT",
                            "STRATA_S3_ACCESS_KEY",
                            "STRATA_S3_SECRET_KEY"),
            "archival-service",
                    with(
                            "STRATA_SERVICE_TOKEN",
                            "QUARKUS_REST_CLIENT_QUOTA_URL",
                            "STRATA_S3_ENDPOINT",
                            "STRATA_S3_ACCESS_KEY",
                            "STRATA_S3_SECRET_KEY",
                            "STRATA_ARCHIVAL_SCHEDULE_ENABLED"));

    /** Read by the image's run-java.sh (deploy/docker/Dockerfile.jvm's base image), not by the application. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_MAX_MEM_RATIO");

    private static final String SHARED_DEFAULTS =
            "service-support/src/main/resources/META-INF/microprofile-config.properties";

    private static final Map<String, Set<String>> READ = new ConcurrentHashMap<>();

    private ServiceNeeds() {}

    private static List<String> with(String... more) {
        return Stream.concat(COMMON.stream(), Stream.of(more)).toList();
    }

    /** The environment variable that sets a property (MicroProfile Config: non-alphanumerics to '_', upper case). */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The property of this service that an environment variable sets, if the service reads one. */
    static Optional<String> propertyFor(String service, String variable) {
        return propertiesRead(service).stream()
                .filter(p -> envName(p).equals(variable))
                .findFirst();
    }

    /**
     * Whether the service presents the service token: a REST client of its own with ServiceToken as headers factory,
     * or service-support's API-call limit turned on in its configuration (it reads allowances from quota-service).
     */
    static boolean callsOtherServices(String service) {
        return javaSources(service + "/src/main/java").anyMatch(source -> source.contains("ServiceToken"))
                || "true"
                        .equals(properties(service + "/src/main/resources/application.properties")
                                .get("strata.metering.limit.enabled"));
    }

    /**
     * Every property the service reads: keys of its application.properties and of the shared defaults, and the
     * properties of @ConfigMapping interfaces and @ConfigProperty injections in its code and its libraries'.
     */
    static Set<String> propertiesRead(String service) {
        return READ.computeIfAbsent(service, ServiceNeeds::scanPropertiesRead);
    }

    private static Set<String> scanPropertiesRead(String service) {
        Set<String> names = new TreeSet<>();
        names.addAll(properties(service + "/src/main/resources/application.properties")
                .keySet());
        names.addAll(properties(SHARED_DEFAULTS).keySet());
        Stream.concat(
                        javaSources(service + "/src/main/java"),
                        libraries(service).stream().flatMap(library -> javaSources(library + "/src/main/java")))
                .forEach(source -> names.addAll(declaredProperties(source)));
        return names;
    }

    /** The project's library modules the service depends on: service-support always, stream-archive when its pom says so. */
    private static List<String> libraries(String service) {
        String pom = Repo.read(service + "/pom.xml");
        return pom.contains("<artifactId>stream-archive</artifactId>")
                ? List.of("service-support", "stream-archive")
                : List.of("service-support");
    }

    /**
     * Defaults that only fit the local run (an address on 127.0.0.1 or localhost, a file under the local run's home):
     * a deployment has to set each of them.
     */
    static Set<String> localOnlyDefaults(String service) {
        Map<String, String> defaults = new LinkedHashMap<>(properties(SHARED_DEFAULTS));
        defaults.putAll(properties(service + "/src/main/resources/application.properties"));
        Set<String> local = new TreeSet<>();
        defaults.forEach((key, value) -> {
            if (!key.startsWith("%") && value.matches(".*(127\\.0\\.0\\.1|localhost|\\$\\{STRATA_HOME).*")) {
                local.add(key);
            }
        });
        return local;
    }

    /** Keys (profile prefixes such as %test. removed) and values of a properties file. */
    private static Map<String, String> properties(String relative) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repo.read(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> result.put(key, properties.getProperty(key)));
        new TreeSet<>(result.keySet())
                .stream()
                        .filter(k -> k.startsWith("%"))
                        .forEach(k -> result.putIfAbsent(k.substring(k.indexOf('.') + 1), ""));
        return result;
    }

    /**
     * @ConfigProperty names, and for a @ConfigMapping(prefix = "p") interface p.m for its methods m and p.g.m for
     * its groups g (methods returning an interface of the same file), kebab-case as SmallRye names them. Generous
     * (it does not tell which group a method belongs to): it proves that a name is read, not its type.
     */
    private static Set<String> declaredProperties(String source) {
        Set<String> names = new TreeSet<>(Repo.allGroups(source, "@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\""));
        List<String> interfaces = Repo.allGroups(source, "interface (\\w+)");
        Pattern method = Pattern.compile("(?m)^\\s+([\\w.<>, ?\\[\\]]+)\\s+(\\w+)\\(\\)\\s*;");
        List<String> members =
                method.matcher(source).results().map(m -> kebab(m.group(2))).toList();
        List<String> groups = method.matcher(source)
                .results()
                .filter(m -> interfaces.contains(m.group(1)))
                .map(m -> kebab(m.group(2)))
                .toList();
        for (String prefix : Repo.allGroups(source, "@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)")) {
            members.forEach(member -> names.add(prefix + "." + member));
            groups.forEach(group -> members.forEach(member -> names.add(prefix + "." + group + "." + member)));
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Stream<String> javaSources(String relative) {
        Path dir = Repo.path(relative);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Repo::read).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
