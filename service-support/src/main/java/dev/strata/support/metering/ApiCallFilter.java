package dev.strata.support.metering;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.UUID;

/**
 * Feeds {@link ApiCallMeter} with every authenticated call on a group's resources ({@code /groups/{groupId}/...}),
 * answered or refused alike, except calls refused for lack of access to that group (401/403) — those are not the
 * group's usage.
 */
public class ApiCallFilter {

    private final ApiCallMeter meter;
    private final SecurityIdentity identity;

    public ApiCallFilter(ApiCallMeter meter, SecurityIdentity identity) {
        this.meter = meter;
        this.identity = identity;
    }

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status == 401 || status == 403 || identity.isAnonymous()) {
            return;
        }
        String group = request.getUriInfo().getPathParameters().getFirst("groupId");
        if (group == null || group.length() != 36) {
            return;
        }
        try {
            meter.record(UUID.fromString(group));
        } catch (IllegalArgumentException ignored) {
            // not a group id: the request was refused as malformed and is not counted
        }
    }
}
