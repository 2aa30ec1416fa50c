package dev.strata.archival;

import dev.strata.support.security.TenantAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * quota-service's {@code GET /quotas/retention} as the tests set it, served by the application under test (its REST
 * client points at the test port): the groups a test declared with their plan and retention (null: unlimited), in
 * group id order, pages of {@code limit} as quota-service pages them, or the one group asked for; 503 while made
 * unavailable. Role
 * {@code service} only, as the real one takes it.
 */
@Path("/quotas/retention")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.SERVICE)
public class FakeQuotaRetention {

    private record Declared(String plan, Long days) {}

    /** Ordered as quota-service orders them: by the uuid's value, as PostgreSQL compares uuids (unsigned bytes). */
    private static final Map<String, Map.Entry<UUID, Declared>> GROUPS = new ConcurrentSkipListMap<>();

    private static final AtomicBoolean UNAVAILABLE = new AtomicBoolean();
    static final AtomicInteger PAGES_SERVED = new AtomicInteger();

    static void group(UUID group, String plan, Long days) {
        GROUPS.put(group.toString(), Map.entry(group, new Declared(plan, days)));
    }

    static void unavailable(boolean down) {
        UNAVAILABLE.set(down);
    }

    static void clear() {
        GROUPS.clear();
        UNAVAILABLE.set(false);
    }

    @GET
    @Operation(hidden = true) // quota-service's operation, played here: not one of archival-service's
    public Response retention(@RestQuery String groupId, @RestQuery String after, @RestQuery int limit) {
        if (UNAVAILABLE.get()) {
            return Response.status(503)
                    .type("application/problem+json")
                    .entity(Map.of("type", "https://strata.dev/problems/service-unavailable", "status", 503))
                    .build();
        }
        PAGES_SERVED.incrementAndGet();
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map.Entry<String, Map.Entry<UUID, Declared>> entry : GROUPS.entrySet()) {
            if (groupId != null && !entry.getKey().equals(groupId)) {
                continue;
            }
            if (after != null && entry.getKey().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                break;
            }
            Map<String, Object> group = new HashMap<>();
            group.put("groupId", entry.getValue().getKey());
            group.put("plan", entry.getValue().getValue().plan());
            group.put("days", entry.getValue().getValue().days());
            page.add(group);
        }
        Map<String, Object> body = new HashMap<>();
        body.put("groups", page);
        body.put(
                "next",
                groupId != null || page.size() < limit
                        ? null
                        : page.get(page.size() - 1).get("groupId"));
        return Response.ok(body).build();
    }
}
