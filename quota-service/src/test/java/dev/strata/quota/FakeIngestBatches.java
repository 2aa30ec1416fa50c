package dev.strata.quota;

import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * ingest-service's {@code POST /groups/{g}/batches/{batchId}:resolve} as the tests set it, served by the
 * application under test like {@link FakeIngestInventory}: a batch the test said committed answers
 * {@code committed}; any other is fenced and answers {@code abandoned} from then on, as ingest does; a batch the
 * test made unreachable answers 503. Every question is recorded. Role {@code service} only.
 */
@Path("/groups/{groupId}/batches/{batchId}:resolve")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.SERVICE)
public class FakeIngestBatches {

    record Asked(UUID group, UUID batchId) {}

    private static final Set<UUID> COMMITTED = ConcurrentHashMap.newKeySet();
    private static final Set<UUID> ABANDONED = ConcurrentHashMap.newKeySet();
    private static final Set<UUID> UNREACHABLE = ConcurrentHashMap.newKeySet();
    static final List<Asked> ASKED = new CopyOnWriteArrayList<>();

    static void committed(UUID batchId) {
        COMMITTED.add(batchId);
    }

    static void unreachable(UUID batchId, boolean unreachable) {
        if (unreachable) {
            UNREACHABLE.add(batchId);
        } else {
            UNREACHABLE.remove(batchId);
        }
    }

    static boolean abandoned(UUID batchId) {
        return ABANDONED.contains(batchId);
    }

    static long asked(UUID group, UUID batchId) {
        return ASKED.stream()
                .filter(a -> a.group().equals(group) && a.batchId().equals(batchId))
                .count();
    }

    @POST
    @Operation(hidden = true) // ingest-service's operation, played here: not one of quota-service's
    public Response resolve(@RestPath String groupId, @RestPath String batchId) {
        UUID batch = UUID.fromString(batchId);
        ASKED.add(new Asked(UUID.fromString(groupId), batch));
        if (UNREACHABLE.contains(batch)) {
            return Response.status(503)
                    .type("application/problem+json")
                    .entity(Map.of("type", "https://strata.dev/problems/service-unavailable", "status", 503))
                    .build();
        }
        String outcome;
        synchronized (COMMITTED) {
            if (COMMITTED.contains(batch)) {
                outcome = "committed";
            } else {
                ABANDONED.add(batch);
                outcome = "abandoned";
            }
        }
        return Response.ok(Map.of("batchId", batchId, "outcome", outcome)).build();
    }
}
