package dev.strata.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** S3Proxy with its filesystem backend: a real S3 API over HTTP whose objects are files under a data folder. */
public final class S3Server implements AutoCloseable {

    public static final String DEFAULT_ACCESS_KEY = "strata";
    public static final String DEFAULT_SECRET_KEY = "strata-secret";

    private final JavaProcess process;
    private final int port;

    private S3Server(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3Server start(Path dataDir, int port) {
        try {
            Path objects = Files.createDirectories(dataDir.resolve("objects"));
            Path config = dataDir.resolve("s3proxy.properties");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + DEFAULT_ACCESS_KEY,
                            "s3proxy.credential=" + DEFAULT_SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + objects,
                            ""));
            JavaProcess server = JavaProcess.start(
                    "s3proxy",
                    Classpaths.S3_SERVER,
                    List.of("-Xms64m", "-Xmx256m"),
                    "org.gaul.s3proxy.Main",
                    List.of("--properties", config.toString()),
                    dataDir.resolve("s3proxy.log"));
            server.awaitReady(() -> JavaProcess.portOpen(port), Duration.ofSeconds(60));
            return new S3Server(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return DEFAULT_ACCESS_KEY;
    }

    public String secretKey() {
        return DEFAULT_SECRET_KEY;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A crash: SIGKILL, no goodbye; {@link #start} on the same directory and port brings the same objects back. */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(handle -> {
            handle.destroyForcibly();
            handle.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        });
    }

    @Override
    public void close() {
        process.close(Duration.ofSeconds(10));
    }
}
