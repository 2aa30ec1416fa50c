package dev.strata.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository the checks read, and what its image build says about every service. */
final class Repo {

    static final Path ROOT = locate();

    private Repo() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document as plain maps and lists (merge keys resolved). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relative) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(read(relative));
    }

    /** Service module to the image deploy/docker/build-images.sh tags for it: strata/<service>:<version>. */
    static Map<String, String> images() {
        String script = read("deploy/docker/build-images.sh");
        String version = group(script, "version=\"\\$\\{STRATA_VERSION:-([^}]+)}\"");
        String services = group(script, "for service in ([^;]+); do");
        if (!script.contains("-t \"strata/$service:$version\"")) {
            throw new IllegalStateException("build-images.sh no longer tags strata/$service:$version");
        }
        Map<String, String> images = new LinkedHashMap<>();
        Arrays.stream(services.trim().split("\\s+")).forEach(s -> images.put(s, "strata/" + s + ":" + version));
        return images;
    }

    /** The HTTP port of every service container (Dockerfile.jvm: EXPOSE and QUARKUS_HTTP_PORT agree). */
    static int containerPort() {
        String dockerfile = read("deploy/docker/Dockerfile.jvm");
        int exposed = Integer.parseInt(group(dockerfile, "(?m)^EXPOSE (\\d+)$"));
        int http = Integer.parseInt(group(dockerfile, "(?m)^ENV QUARKUS_HTTP_PORT=(\\d+)$"));
        if (exposed != http) {
            throw new IllegalStateException("Dockerfile.jvm exposes " + exposed + " but Quarkus listens on " + http);
        }
        return http;
    }

    static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("not found: " + regex);
        }
        return matcher.group(1);
    }

    static List<String> allGroups(String text, String regex) {
        return Pattern.compile(regex)
                .matcher(text)
                .results()
                .map(m -> m.group(1))
                .toList();
    }

    private static Path locate() {
        String configured = System.getProperty("strata.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy/k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found from " + start);
    }
}
