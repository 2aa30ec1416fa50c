package dev.strata.quota;

import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * ingest-service's {@code GET /groups/{g}} as the tests set it, served by the application under test like
 * {@link FakeIngestInventory}: a group a test declared answers its plan and the plan's time as ingest does; a group
 * made unreachable answers 503; any other 404, as ingest for a group it does not know. Every question is recorded.
 * Role {@code service} only.
 */
@Path("/groups/{groupId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.SERVICE)
public class FakeIngestGroups {

    private static final Map<UUID, Map<String, Object>> GROUPS = new ConcurrentHashMap<>();
    private static final Set<UUID> UNREACHABLE = ConcurrentHashMap.newKeySet();
    static final List<UUID> ASKED = new CopyOnWriteArrayList<>();

    /** ingest's answer for a group whose plan was set at {@code planChangedAt}, with the members quota ignores. */
    static void group(UUID group, String plan, Instant planChangedAt) {
        GROUPS.put(
                group,
                Map.of(
                        "id",
                        group.toString(),
                        "name",
                        "learned " + plan,
                        "plan",
                        plan,
                        "planChangedAt",
                        planChangedAt.toString(),
                        "createdAt",
                        planChangedAt.minusSeconds(3600).toString(),
                        "updatedAt",
                        planChangedAt.toString()));
    }

    static void unreachable(UUID group) {
        UNREACHABLE.add(group);
    }

    static long asked(UUID group) {
        return ASKED.stream().filter(group::equals).count();
    }

    @GET
    @Operation(hidden = true) // ingest-service's operation, played here: not one of quota-service's
    public Response get(@RestPath String groupId) {
        UUID group = UUID.fromString(groupId);
        ASKED.add(group);
        if (UNREACHABLE.contains(group)) {
            return Response.status(503)
                    .type("application/problem+json")
                    .entity(Map.of("type", "https://strata.dev/problems/service-unavailable", "status", 503))
                    .build();
        }
        Map<String, Object> body = GROUPS.get(group);
        if (body == null) {
            return Response.status(404)
                    .type("application/problem+json")
                    .entity(Map.of("type", "https://strata.dev/problems/not-found", "status", 404))
                    .build();
        }
        return Response.ok(body).build();
    }
}
