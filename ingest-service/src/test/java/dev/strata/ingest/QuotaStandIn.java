package dev.strata.ingest;

import dev.strata.local.FreePorts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A stand-in for quota-service's reservation and API-call allowance API inside ingest's tests (quota-service's own tests cover the real
 * thing): fixed limits per group and metric, every call recorded. Only the service role may call it, so it also
 * checks that ingest sends its service token. Its operations are hidden from ingest's OpenAPI document: they are
 * quota-service's.
 */
@Path("/groups/{groupId}/quotas")
@RolesAllowed("service")
public class QuotaStandIn {

    record Call(UUID group, String metric, long amount, String reference) {}

    record Confirmed(UUID group, String reference) {}

    static final Map<String, Long> LIMITS = new ConcurrentHashMap<>();
    static final Map<String, Long> USED = new ConcurrentHashMap<>();
    static final List<Call> RESERVED = new CopyOnWriteArrayList<>();
    static final List<String> RELEASED = new CopyOnWriteArrayList<>();
    static final List<Confirmed> CONFIRMED = new CopyOnWriteArrayList<>();
    static volatile boolean down;
    /**
     * Per group: how many more reservations are granted before quota-service goes away for that group, answering
     * 503 to each call (as while it restarts or catches up) until the test removes the entry.
     */
    static final Map<UUID, AtomicInteger> OUTAGES = new ConcurrentHashMap<>();
    /** The reservation calls answered 503 during an outage. */
    static final List<Call> UNAVAILABLE = new CopyOnWriteArrayList<>();

    static volatile boolean confirmationsDown;
    /** While set, a grant is held back until the latch opens (the write's transaction waits for it). */
    static volatile CountDownLatch holdGrants;

    /**
     * A test profile's configuration that points ingest's quota client at the application under test, which serves
     * this stand-in: a free port for the tests' HTTP server and the client's URL on it, plus {@code more}.
     */
    static Map<String, String> servedHere(Map<String, String> more) {
        int port = FreePorts.next();
        Map<String, String> config = new HashMap<>(more);
        config.put("quarkus.http.test-port", Integer.toString(port));
        config.put("quarkus.rest-client.quota.url", "http://127.0.0.1:" + port);
        return config;
    }

    static void limit(UUID group, String metric, long limit) {
        LIMITS.put(group + "/" + metric, limit);
    }

    static List<Call> reserved(UUID group) {
        return RESERVED.stream().filter(call -> call.group().equals(group)).toList();
    }

    static List<String> confirmed(UUID group) {
        return CONFIRMED.stream()
                .filter(call -> call.group().equals(group))
                .map(Confirmed::reference)
                .toList();
    }

    public record Request(String metric, long amount, String reference) {}

    public record CommitRequest(String reference) {}

    /** Groups whose api-calls answer is 503, as while quota-service is away. */
    static final Set<UUID> API_CALLS_DOWN = ConcurrentHashMap.newKeySet();
    /** How many times each group's api-calls allowance was asked for. */
    static final Map<UUID, AtomicInteger> API_CALLS_ASKED = new ConcurrentHashMap<>();

    /**
     * The API-call allowance ({@code ApiCallLimiter} reads it): the limit a test set for api_calls_per_month (none:
     * unlimited) and USED under the same key.
     */
    @GET
    @Operation(hidden = true)
    @Path("/api-calls")
    public Response apiCalls(@RestPath UUID groupId) {
        API_CALLS_ASKED.computeIfAbsent(groupId, g -> new AtomicInteger()).incrementAndGet();
        if (API_CALLS_DOWN.contains(groupId)) {
            return Response.status(503).build();
        }
        String key = groupId + "/api_calls_per_month";
        Map<String, Object> body = new HashMap<>();
        body.put("limit", LIMITS.get(key));
        body.put("used", USED.getOrDefault(key, 0L));
        return Response.ok(body).type(MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Operation(hidden = true)
    @Path("/reservations")
    public Response reserve(@RestPath String groupId, Request request) throws InterruptedException {
        if (down) {
            return Response.serverError().build();
        }
        AtomicInteger grantsLeft = OUTAGES.get(UUID.fromString(groupId));
        if (grantsLeft != null && grantsLeft.getAndDecrement() <= 0) {
            UNAVAILABLE.add(
                    new Call(UUID.fromString(groupId), request.metric(), request.amount(), request.reference()));
            return Response.status(503).build();
        }
        String key = groupId + "/" + request.metric();
        long limit = LIMITS.getOrDefault(key, Long.MAX_VALUE);
        long used = USED.getOrDefault(key, 0L);
        if (used + request.amount() > limit) {
            return Response.status(409)
                    .type("application/problem+json")
                    .entity(Map.of(
                            "type",
                            "https://strata.dev/problems/quota-exceeded",
                            "title",
                            "Quota exceeded",
                            "status",
                            409,
                            "detail",
                            "over the limit",
                            "metric",
                            request.metric(),
                            "current",
                            used,
                            "limit",
                            limit,
                            "requested",
                            request.amount(),
                            "upgrade",
                            "pro"))
                    .build();
        }
        USED.merge(key, request.amount(), Long::sum);
        String id = UUID.randomUUID().toString();
        RESERVED.add(new Call(UUID.fromString(groupId), request.metric(), request.amount(), request.reference()));
        CountDownLatch hold = holdGrants;
        if (hold != null && !hold.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let the grant go");
        }
        return Response.status(201)
                .entity(Map.of("id", id, "metric", request.metric(), "amount", request.amount()))
                .build();
    }

    @DELETE
    @Operation(hidden = true)
    @Path("/reservations/{reservationId}")
    public Response release(@RestPath String groupId, @RestPath String reservationId) {
        RELEASED.add(reservationId);
        return Response.noContent().build();
    }

    @POST
    @Operation(hidden = true)
    @Path("/reservations:commit")
    public Response commit(@RestPath String groupId, CommitRequest request) {
        if (confirmationsDown) {
            return Response.status(503).build();
        }
        CONFIRMED.add(new Confirmed(UUID.fromString(groupId), request.reference()));
        return Response.ok(Map.of("reference", request.reference(), "reservations", List.of()))
                .build();
    }
}
