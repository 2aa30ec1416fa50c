package dev.strata.ingest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * quota-service's {@code GET /plans} inside ingest's tests, next to {@link QuotaStandIn}: the three plans of the
 * SPEC plus what a test adds, cheapest first; 503 while made unavailable; every question counted.
 */
@Path("/plans")
@RolesAllowed("service")
@Produces(MediaType.APPLICATION_JSON)
public class PlansStandIn {

    static final List<String> PLANS = new CopyOnWriteArrayList<>(List.of("starter", "pro", "enterprise"));
    static final AtomicBoolean DOWN = new AtomicBoolean();
    static final AtomicInteger ASKED = new AtomicInteger();

    /** Hidden: quota-service's operation, served here for the tests only. */
    @GET
    @Operation(hidden = true)
    public Response plans() {
        ASKED.incrementAndGet();
        if (DOWN.get()) {
            return Response.status(503).build();
        }
        return Response.ok(PLANS.stream()
                        .map(name -> Map.of("name", name, "custom", false))
                        .toList())
                .build();
    }
}
