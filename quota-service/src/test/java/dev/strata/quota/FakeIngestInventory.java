package dev.strata.quota;

import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * ingest-service's {@code GET /groups/{g}/inventory} as the tests set it. It is a resource of the application under
 * test (test sources are part of a {@code @QuarkusTest} application) and the %test profile points the ingest
 * client at the test port. Role {@code service} only: a call without quota's service token fails the test.
 */
@Path("/groups/{groupId}/inventory")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.SERVICE)
public class FakeIngestInventory {

    /** An answer: HTTP status and body. */
    record Answer(int status, Map<String, Object> body) {}

    /** Answers per group, used in order; the last one is repeated. No answers: 404, as ingest for an unknown group. */
    private static final Map<UUID, Deque<Answer>> ANSWERS = new ConcurrentHashMap<>();

    /** ingest's counts, with the members quota-service does not read, as ingest sends them. */
    static Answer inventory(UUID group, long things, long peopleLike, long connections, long storageBytes) {
        return new Answer(
                200,
                Map.of(
                        "groupId",
                        group.toString(),
                        "things",
                        things,
                        "peopleLike",
                        peopleLike,
                        "connections",
                        connections,
                        "knowledge",
                        1,
                        "storageBytes",
                        storageBytes,
                        "events",
                        42,
                        "asOf",
                        "2030-01-01T00:00:00Z"));
    }

    static void answer(UUID group, Answer... answers) {
        ANSWERS.put(group, new ArrayDeque<>(List.of(answers)));
    }

    @GET
    @Operation(hidden = true) // ingest-service's operation, played here: not one of quota-service's
    public Response get(@RestPath String groupId) {
        Deque<Answer> answers = ANSWERS.get(UUID.fromString(groupId));
        if (answers == null) {
            return Response.status(404)
                    .type("application/problem+json")
                    .entity(Map.of("type", "https://strata.dev/problems/not-found", "status", 404))
                    .build();
        }
        Answer answer;
        synchronized (answers) {
            answer = answers.size() > 1 ? answers.poll() : answers.peek();
        }
        return Response.status(answer.status()).entity(answer.body()).build();
    }
}
