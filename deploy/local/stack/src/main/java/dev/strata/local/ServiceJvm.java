package dev.strata.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * How a Strata service JVM is started and found ready, by the local run and by tests that start packaged services;
 * the container image ({@code deploy/docker/Dockerfile.jvm}) gives the same options.
 */
public final class ServiceJvm {

    /**
     * {@code vertx.disableURIValidation}: Quarkus answers a request target that is not a well-formed URI with an
     * empty 400 before any route runs; with this, service-support's {@code RequestEdge} checks the same thing
     * first and answers with a problem, like every other refusal.
     */
    public static final List<String> OPTIONS = List.of("-Dvertx.disableURIValidation=true");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceJvm() {}

    /** Whether the service at {@code base} ({@code http://host:port}) answers its readiness check with 200. */
    public static boolean ready(String base) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
