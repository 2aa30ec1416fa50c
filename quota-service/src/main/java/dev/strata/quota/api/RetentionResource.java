package dev.strata.quota.api;

import dev.strata.quota.service.QuotaService;
import dev.strata.quota.service.QuotaService.Retention;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Each group's hot retention, for archival-service: its plan's {@code events_retention_days} with the group's
 * override, {@code days} null where it is unlimited. Pages in group id order: {@code next} is the {@code after} of
 * the next page, null on the last one. Groups quota-service has not seen are absent (archival keeps its default
 * for them). {@code ?groupId=} answers that group alone, for a question about one group.
 */
@Path("/quotas/retention")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({TenantAccess.SERVICE, TenantAccess.ADMIN})
public class RetentionResource {

    static final int MAX_PAGE = 1_000;

    private final QuotaService quotas;

    public RetentionResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    @Schema(
            description = "A page of groups with their events_retention_days (null: unlimited); next is the after of"
                    + " the next page, null on the last",
            example = """
            {"groups": [{"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "plan": "starter", "days": 90},
                        {"groupId": "3c9e7a10-52d4-4f8b-a1e6-0d2c4b6a8e9f", "plan": "enterprise", "days": null}],
             "next": null}""")
    public record RetentionPage(List<Retention> groups, UUID next) {}

    @GET
    @Operation(
            summary = "Every known group's events_retention_days (null: unlimited), a page at a time; service and"
                    + " admin tokens only")
    @APIResponse(
            responseCode = "200",
            description = "a page of groups in group id order (with groupId: that group,"
                    + " or none if quota-service does not know it)")
    public Uni<RetentionPage> retention(@RestQuery String groupId, @RestQuery String after, @RestQuery String limit) {
        UUID group = PathIds.optionalUuid(groupId, "groupId");
        UUID from = PathIds.optionalUuid(after, "after");
        int size = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_PAGE, MAX_PAGE);
        if (group != null) {
            return quotas.retention(group).map(one -> new RetentionPage(one == null ? List.of() : List.of(one), null));
        }
        return quotas.retention(from, size)
                .map(page -> new RetentionPage(
                        page,
                        page.size() < size ? null : page.get(page.size() - 1).groupId()));
    }
}
