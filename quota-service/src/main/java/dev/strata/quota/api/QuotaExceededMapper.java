package dev.strata.quota.api;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.quota.service.QuotaExceededException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders a refused reservation as the {@code quota-exceeded} problem with its extension members (metric,
 * current, limit, requested, upgrade), keeping {@code upgrade: null} when no bigger plan exists.
 */
public class QuotaExceededMapper {

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e, UriInfo uri) {
        ProblemType type = ProblemType.QUOTA_EXCEEDED;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", e.detail());
        body.put("instance", uri.getPath());
        body.put("metric", e.metric().key());
        body.put("current", e.current());
        body.put("reserved", e.reserved());
        body.put("limit", e.limit());
        body.put("requested", e.requested());
        body.put("upgrade", e.upgrade());
        return Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(body)
                .build();
    }
}
