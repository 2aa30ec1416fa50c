package dev.strata.testing;

import dev.strata.local.DevTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a service under {@code @QuarkusTest} at the test JVM's real Kafka broker, S3 server and fresh
 * database. Use it on every test class of a module ({@code @WithTestResource(StrataTestStack.class)}): classes
 * with the same resources share one application start, and the servers start once per JVM whatever happens.
 * Tests isolate their data by working in groups (tenants) of their own.
 */
public class StrataTestStack implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestEndpoints endpoints = TestServers.ensureStarted();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", endpoints.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", endpoints.reactiveUrl());
        config.put("quarkus.datasource.username", endpoints.dbUser());
        config.put("quarkus.datasource.password", endpoints.dbPassword());
        config.put("kafka.bootstrap.servers", endpoints.kafkaBootstrap());
        config.put("strata.s3.endpoint", endpoints.s3Endpoint());
        config.put("strata.s3.access-key", endpoints.s3AccessKey());
        config.put("strata.s3.secret-key", endpoints.s3SecretKey());
        config.put(
                "mp.jwt.verify.publickey.location",
                endpoints.keyDir().resolve(DevTokens.PUBLIC_KEY_FILE).toUri().toString());
        config.put("mp.jwt.verify.issuer", DevTokens.ISSUER);
        // Service-to-service calls (e.g. ingest reserving quota) carry a token of role "service".
        config.put("strata.service-token", TestTokens.service());
        return config;
    }

    @Override
    public void stop() {
        // The servers outlive one application start: they stop with the JVM (see TestServers).
    }
}
