package dev.strata.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;

/**
 * Endpoints that exist only in the services' test applications (test-support is a bean archive and a test
 * dependency), for what {@link PlatformContractTest} must reach the same way in every service: a JSON body bound
 * to a record (metrics-service has no such endpoint of its own), input that reaches PostgreSQL unchecked, and a
 * failure on the router outside any resource.
 */
@Path(PlatformProbe.PATH)
public class PlatformProbe {

    public static final String PATH = "/platform-test";

    /** Values of every kind the JSON rules concern. */
    public record Sample(
            String text,
            Long amount,
            Integer count,
            Double ratio,
            Map<String, Long> counts,
            JsonNode data,
            Instant at) {}

    private final Pool pool;

    public PlatformProbe(Pool pool) {
        this.pool = pool;
    }

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Sample echo(Sample sample) {
        return sample;
    }

    /**
     * Hands the body's {@code note} to PostgreSQL as text without any check, as a missing validation would (a JSON
     * tree is not checked for NUL by the mapper; PostgreSQL refuses NUL in text with SQLSTATE 22021).
     */
    @POST
    @Path("/stored-text")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Integer> storedText(JsonNode body) {
        return pool.preparedQuery("SELECT length($1::text) AS length")
                .execute(Tuple.of(body.path("note").asText()))
                .map(rows -> rows.iterator().next().getInteger("length"));
    }

    /** A route on the Vert.x router that fails: what the REST layer's exception mapping never sees. */
    @ApplicationScoped
    public static class RouterFailure {

        public static final String ROUTE = PATH + "/router-failure";

        void install(@Observes Router router) {
            router.get(ROUTE).handler(ctx -> {
                throw new IllegalStateException("probe: a failure outside any resource");
            });
        }
    }
}
