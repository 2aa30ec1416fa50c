package dev.strata.support.metering;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.http.RequestTarget;
import dev.strata.support.security.TenantAccess;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a tenant's call on a group's resources ({@code /groups/{groupId}/...}) once the group has used its
 * {@code api_calls_per_month}: 429 problem+json {@code quota-exceeded} with the metric, limit and calls counted, and
 * {@code Retry-After} in seconds to the next UTC month, when the count starts again at zero. What is not refused: a
 * caller without access to the group (it gets its 401 or 403 as before, never a hint about the group), admin and
 * service callers, and the group's own quota reads ({@code /groups/{g}/quotas...}), so a client can see why it is
 * refused and until when. Runs after the caller is authenticated, before the resource reads the body.
 */
public class ApiCallLimitFilter {

    static final String METRIC = "api_calls_per_month";

    private final ApiCallLimiter limiter;
    private final MeteringConfig config;
    private final CurrentIdentityAssociation identity;

    public ApiCallLimitFilter(ApiCallLimiter limiter, MeteringConfig config, CurrentIdentityAssociation identity) {
        this.limiter = limiter;
        this.config = config;
        this.identity = identity;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        if (!config.enabled() || !config.limit().enabled()) {
            return Uni.createFrom().nullItem();
        }
        String path = request.getUriInfo().getPath();
        String segment = RequestTarget.groupSegment(path);
        UUID groupId = segment == null ? null : RequestTarget.groupId(segment);
        if (groupId == null || isQuotaRead(path, segment)) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity()
                .chain(caller -> limited(caller, groupId)
                        ? limiter.admit(groupId).map(refusal -> refusal == null ? null : refused(refusal, path))
                        : Uni.createFrom().nullItem());
    }

    private static boolean limited(SecurityIdentity caller, UUID groupId) {
        return !caller.isAnonymous()
                && !caller.hasRole(TenantAccess.SERVICE)
                && !caller.hasRole(TenantAccess.ADMIN)
                && TenantAccess.mayAccess(caller, groupId);
    }

    private static boolean isQuotaRead(String path, String segment) {
        String below = path.substring("/groups/".length() + segment.length());
        return below.equals("/quotas") || below.startsWith("/quotas/");
    }

    private static Response refused(ApiCallLimiter.Refusal refusal, String path) {
        ProblemType type = ProblemType.QUOTA_EXCEEDED;
        Problem problem = new Problem(
                type.uri(),
                type.title(),
                429,
                "This group has used its " + refusal.limit()
                        + " API calls of the month; calls are accepted again when the next month starts (UTC), or"
                        + " after a plan upgrade.",
                path,
                List.of(),
                Map.of(
                        "metric",
                        METRIC,
                        "limit",
                        refusal.limit(),
                        "current",
                        refusal.used(),
                        "retryAfterSeconds",
                        refusal.retryAfterSeconds()));
        return Response.status(429)
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, refusal.retryAfterSeconds())
                .entity(problem)
                .build();
    }
}
