package dev.strata.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the runtime classpaths that the kafka-broker and s3-server modules record in their jars at build time. */
final class Classpaths {

    static final String KAFKA_BROKER = "dev/strata/local/kafka-broker.classpath";
    static final String S3_SERVER = "dev/strata/local/s3-server.classpath";

    private Classpaths() {}

    static String read(String resource) {
        ClassLoader loader = Classpaths.class.getClassLoader();
        if (loader.getResource(resource) == null && Thread.currentThread().getContextClassLoader() != null) {
            loader = Thread.currentThread().getContextClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath file " + resource + " not found: build deploy/local first"
                        + " (mvn install -pl deploy/local -am)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
