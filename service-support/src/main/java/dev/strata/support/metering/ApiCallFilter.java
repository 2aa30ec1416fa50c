package dev.strata.support.metering;

import dev.strata.support.http.RequestTarget;
import dev.strata.support.security.TenantAccess;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Feeds {@link ApiCallMeter} with every authenticated call on a group's resources ({@code /groups/{groupId}/...}),
 * answered or refused alike, except calls refused for lack of access to that group (401/403), calls refused as
 * too many (429: over the month's API-call limit, or a busy service, neither of which did any work) and calls one
 * Strata service makes to another (role {@code service}) — those are not the group's usage.
 *
 * <p>The identity is read through the deferred (non-blocking) identity: with lazy authentication, a request that
 * never reached a secured resource (an unknown path) has not resolved it yet, and resolving it on the IO thread
 * would fail the request.
 */
public class ApiCallFilter {

    private final ApiCallMeter meter;
    private final CurrentIdentityAssociation identity;

    public ApiCallFilter(ApiCallMeter meter, CurrentIdentityAssociation identity) {
        this.meter = meter;
        this.identity = identity;
    }

    @ServerResponseFilter
    public Uni<Void> count(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status == 401 || status == 403 || status == 429) {
            return Uni.createFrom().voidItem();
        }
        // From the path, not the matched resource's parameters: a request refused while being matched (415, 405)
        // has none, and is still a call on the group.
        String segment = RequestTarget.groupSegment(request.getUriInfo().getPath());
        UUID groupId = segment == null ? null : RequestTarget.groupId(segment);
        if (groupId == null) {
            return Uni.createFrom().voidItem(); // no group, or a malformed id refused as such: not counted
        }
        return identity.getDeferredIdentity()
                .invoke(caller -> {
                    // A service's own calls (e.g. ingest reserving quota for a batch) are not the tenant's usage.
                    if (!caller.isAnonymous() && !caller.hasRole(TenantAccess.SERVICE)) {
                        meter.record(groupId);
                    }
                })
                .replaceWithVoid();
    }
}
