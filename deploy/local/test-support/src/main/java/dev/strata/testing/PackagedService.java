package dev.strata.testing;

import dev.strata.local.DevTokens;
import dev.strata.local.JavaProcess;
import dev.strata.local.ServiceJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PACKAGED Strata service ({@code target/quarkus-app/quarkus-run.jar} of a module) running as a process of its
 * own ({@code java -Xmx<heap> -jar}) against the test JVM's servers ({@code TestServers}): its PostgreSQL database,
 * Kafka broker and JWT key pair. For the {@code *IT} classes (failsafe), which test what is shipped; quota-service's
 * and the hostile corpus's share this one launcher.
 */
public final class PackagedService implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(180);

    private final JavaProcess process;
    private final int port;

    private PackagedService(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the jar on {@code port} with the test servers' addresses and token key, a heap of at most
     * {@code maxHeap} ({@code -Xmx} syntax: {@code 256m}, {@code 384m}), plus {@code properties} (system properties,
     * which override the application's own) and {@code environment}; logs to {@code logDir/name-port.log}. Returns
     * at once: call {@link #awaitReady()} before using it.
     */
    public static PackagedService start(
            String name,
            Path jar,
            int port,
            TestEndpoints servers,
            String maxHeap,
            Map<String, String> properties,
            Map<String, String> environment,
            Path logDir) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx" + maxHeap,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + servers.jdbcUrl(),
                "-Dquarkus.datasource.reactive.url=" + servers.reactiveUrl(),
                "-Dquarkus.datasource.username=" + servers.dbUser(),
                "-Dquarkus.datasource.password=" + servers.dbPassword(),
                "-Dkafka.bootstrap.servers=" + servers.kafkaBootstrap(),
                "-Dmp.jwt.verify.publickey.location="
                        + servers.keyDir().resolve(DevTokens.PUBLIC_KEY_FILE).toUri(),
                "-Dmp.jwt.verify.issuer=" + DevTokens.ISSUER));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(ServiceJvm.OPTIONS);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        JavaProcess process = JavaProcess.start(
                name,
                command,
                environment,
                logDir.resolve(name + "-" + port + ".log").toAbsolutePath());
        return new PackagedService(process, port);
    }

    /** Waits until {@code /q/health/ready} answers 200 (PostgreSQL and Kafka up); fails with the log's tail. */
    public PackagedService awaitReady() {
        process.awaitReady(this::ready, STARTUP);
        return this;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String name() {
        return process.name();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether this run of the service (not an earlier one logging to the same file) has logged {@code text}. */
    public boolean logContains(String text) {
        return process.logContains(text);
    }

    /** A crash: no shutdown hook, no offset commit, no goodbye to the consumer group. */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** A stop: SIGTERM (so a consumer leaves its group), SIGKILL if it is still alive after {@code grace}. */
    public void stop(Duration grace) {
        process.close(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** The last {@code chars} characters of the process's log, to show why a test failed. */
    public String logTail(int chars) {
        try {
            String all = new String(Files.readAllBytes(process.log()), StandardCharsets.UTF_8);
            return all.substring(Math.max(0, all.length() - chars));
        } catch (IOException | RuntimeException e) {
            return "(log " + process.log() + " unreadable: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return process.log();
    }

    private boolean ready() {
        return ServiceJvm.ready(base());
    }
}
