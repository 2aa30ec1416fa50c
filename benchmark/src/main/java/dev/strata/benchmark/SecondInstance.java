package dev.strata.benchmark;

import dev.strata.local.FreePorts;
import dev.strata.local.JavaProcess;
import dev.strata.local.ServiceJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One more replica of a service of the running local stack: its packaged jar ({@code
 * <root>/<module>/target/quarkus-app/quarkus-run.jar}) in a JVM of its own, with the environment {@code
 * deploy/local/run.sh} wrote to {@code $STRATA_HOME/service.env} (so it joins the same database, Kafka, S3 store and
 * JWT key) on a free port, logging to {@code $STRATA_HOME/logs/<module>-2.log}. The JVM is started the way the
 * local run starts its services (its whole heap from the start, {@link ServiceJvm#OPTIONS}), so the two replicas
 * differ only in their port.
 */
final class SecondInstance implements AutoCloseable {

    /** The heap of deploy/local's services ({@code StrataLocal}): -Xms and -Xmx alike. */
    static final String HEAP = "384m";

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final JavaProcess process;
    private final int port;

    private SecondInstance(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code module} (e.g. {@code quota-service}) and returns at once: {@link #awaitReady()} before use. */
    static SecondInstance start(String module, Path root, Path home, Map<String, String> serviceEnv) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (benchmark/run.sh does)");
        }
        int port = FreePorts.next();
        Map<String, String> environment = new HashMap<>(serviceEnv);
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + HEAP, "-Xmx" + HEAP));
        command.addAll(ServiceJvm.OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        Path log = home.resolve("logs").resolve(module + "-2.log").toAbsolutePath();
        Benchmark.say("starting a second " + module + " on port " + port + " (log " + log + ")");
        return new SecondInstance(JavaProcess.start(module + "-2", command, environment, log), port);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the JVM exits first. */
    SecondInstance awaitReady() {
        process.awaitReady(() -> ServiceJvm.ready(base()), STARTUP);
        return this;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return process.name();
    }

    Path log() {
        return process.log();
    }

    /** SIGTERM, so its consumers leave their groups at once; SIGKILL if it is still alive after 20 s. */
    @Override
    public void close() {
        process.close(Duration.ofSeconds(20));
    }

    /**
     * The {@code export K='v'} lines of {@code service.env} (as {@code StrataLocal} writes them; a value's own single
     * quote, if any, as the shell's {@code '\''}), in file order.
     */
    static Map<String, String> serviceEnvironment(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: start the local stack first (deploy/local/run.sh),"
                    + " or point STRATA_HOME at its home");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (!trimmed.startsWith("export ")) {
                    continue;
                }
                String assignment = trimmed.substring("export ".length());
                int equals = assignment.indexOf('=');
                if (equals < 1) {
                    throw new IllegalStateException("unreadable line in " + file + ": " + line);
                }
                String value = assignment.substring(equals + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1).replace("'\\''", "'");
                }
                environment.put(assignment.substring(0, equals), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return environment;
    }
}
