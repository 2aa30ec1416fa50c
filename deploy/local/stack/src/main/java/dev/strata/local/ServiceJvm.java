package dev.strata.local;

import java.util.List;

/**
 * JVM options every Strata service is started with, by the local run, by tests that start packaged services and,
 * in the same words, by the container image ({@code deploy/docker/Dockerfile.jvm}).
 */
public final class ServiceJvm {

    /**
     * {@code vertx.disableURIValidation}: Quarkus answers a request target that is not a well-formed URI with an
     * empty 400 before any route runs; with this, service-support's {@code RequestEdge} checks the same thing
     * first and answers with a problem, like every other refusal.
     */
    public static final List<String> OPTIONS = List.of("-Dvertx.disableURIValidation=true");

    private ServiceJvm() {
    }
}
