package dev.strata.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server running in its own JVM, started under {@code dev.strata.local.watchdog.Watchdog} so it exits when
 * this process does. Output goes to a log file that readiness checks and people can read.
 */
public final class JavaProcess implements AutoCloseable {

    private static final String WATCHDOG = "dev.strata.local.watchdog.Watchdog";

    private final String name;
    private final Process process;
    private final Path log;
    private final long logStart;

    private JavaProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** Starts {@code mainClass} with the classpath recorded in the named classpath resource of this module. */
    public static JavaProcess start(
            String name,
            String classpathResource,
            List<String> jvmArgs,
            String mainClass,
            List<String> args,
            Path log) {
        return start(
                name,
                javaCommand(Classpaths.read(classpathResource), jvmArgs, WATCHDOG, mainClass, args),
                Map.of(),
                log);
    }

    /** Starts any command; the command should keep reading its standard input to notice this process's end. */
    public static JavaProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new JavaProcess(name, builder.start(), log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Runs a short-lived tool to completion (e.g. Kafka's storage formatter) and fails loudly if it fails. */
    public static void runToCompletion(
            String name, String classpathResource, String mainClass, List<String> args, Path log, Duration timeout) {
        try (JavaProcess tool = start(
                name,
                javaCommand(Classpaths.read(classpathResource), List.of(), mainClass, null, args),
                Map.of(),
                log)) {
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
            }
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + tool.process.exitValue() + "; see "
                        + log + ":\n" + tool.tail(2_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    static List<String> javaCommand(
            String classpath, List<String> jvmArgs, String mainClass, String delegate, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        if (delegate != null) {
            command.add(delegate);
        }
        command.addAll(args);
        return command;
    }

    /** Waits until {@code ready} holds, failing early with the log's tail if the process dies first. */
    public JavaProcess awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was"
                        + " ready; see " + log + ":\n" + tail(4_000));
            }
            if (ready.getAsBoolean()) {
                return this;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException(
                name + " was not ready within " + timeout + "; see " + log + ":\n" + tail(4_000));
    }

    /** True once what this process wrote to its log (not an earlier run's lines) holds {@code text}. */
    public boolean logContains(String text) {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String name() {
        return name;
    }

    /** Asks for a graceful stop (SIGTERM) without waiting for it, so that several processes stop side by side. */
    public void terminate() {
        process.destroy();
    }

    /** Kills the process at once (SIGKILL), as a crash would, and returns once it has exited. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /** Asks for a graceful stop (SIGTERM), then kills after a grace period. */
    @Override
    public void close() {
        close(Duration.ofSeconds(20));
    }

    public void close(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String tail(int chars) {
        try (InputStream in = Files.newInputStream(log)) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return all.substring(Math.max(0, all.length() - chars));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
