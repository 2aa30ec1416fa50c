package dev.strata.testing;

import java.nio.file.Path;

/** Where the test JVM's real servers answer. */
public record TestEndpoints(
        String kafkaBootstrap,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String jdbcUrl,
        String reactiveUrl,
        String dbUser,
        String dbPassword,
        Path keyDir) {}
