package dev.strata.quota.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.quota.service.Metric;
import dev.strata.quota.service.PlanCatalog;
import dev.strata.quota.service.QuotaService;
import dev.strata.quota.service.QuotaService.HistoryDay;
import dev.strata.quota.service.UsageApplier;
import dev.strata.support.api.PathIds;
import dev.strata.support.metering.ApiCallAllowance;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A group's quotas: usage against limits, pre-flight checks, status, history and the admin's overrides. */
@Path("/groups/{groupId}/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    static final int MAX_HISTORY_DAYS = 400;

    private final QuotaService quotas;
    private final PlanCatalog catalog;
    private final TenantAccess access;

    public QuotaResource(QuotaService quotas, PlanCatalog catalog, TenantAccess access) {
        this.quotas = quotas;
        this.catalog = catalog;
        this.access = access;
    }

    @GET
    @Operation(summary = "Usage, limits and status of every metric of the group")
    public Uni<QuotaViews.Quotas> get(@RestPath String groupId) {
        return quotas.usage(group(groupId)).map(QuotaViews::quotas);
    }

    /**
     * {@code {limit, used}}: the month's {@code api_calls_per_month} limit (null: unlimited) and the calls counted
     * this UTC month, which every service's API-call limit reads ({@code ApiCallLimiter}).
     */
    @GET
    @Path("/api-calls")
    @Operation(summary = "The group's API calls this UTC month and its monthly limit (null: unlimited)")
    public Uni<ApiCallAllowance.Allowance> apiCalls(@RestPath String groupId) {
        return quotas.usage(group(groupId)).map(QuotaViews::apiCalls);
    }

    @GET
    @Path("/entities/check")
    @Operation(summary = "Whether count more entities fit (usage plus open reservations)")
    public Uni<QuotaViews.EntityCheck> checkEntities(@RestPath String groupId, @RestQuery String count) {
        UUID group = group(groupId);
        long requested = PathIds.wholeNumber(count, "count", 0, Long.MAX_VALUE);
        Metric metric = Metric.ENTITIES_TOTAL;
        return quotas.usage(group).chain(usage -> quotas.held(group, metric).map(held -> {
            long current = usage.current(metric);
            Long limit = usage.limits().baseLimit(metric);
            if (limit == null) {
                return new QuotaViews.EntityCheck(true, current, null, null, requested, null, null);
            }
            long available = Math.max(0, limit - current - held);
            boolean fits = requested <= available;
            String reason = fits ? null : "Creating " + requested + " entities would exceed the limit of "
                    + QuotaViews.amount(metric, limit) + " (" + QuotaViews.amount(metric, current)
                    + " used, " + QuotaViews.amount(metric, held) + " reserved, "
                    + QuotaViews.amount(metric, available) + " available).";
            return new QuotaViews.EntityCheck(fits, current, limit, available, requested, reason,
                    fits ? null : QuotaViews.suggestion(catalog, usage.limits().plan(), metric,
                            current + held + requested));
        }));
    }

    @GET
    @Path("/storage/check")
    @Operation(summary = "Whether bytes more storage fit (usage plus open reservations)")
    public Uni<QuotaViews.StorageCheck> checkStorage(@RestPath String groupId, @RestQuery String bytes) {
        UUID group = group(groupId);
        long requested = PathIds.wholeNumber(bytes, "bytes", 0, Long.MAX_VALUE);
        Metric metric = Metric.STORAGE_GB;
        return quotas.usage(group).chain(usage -> quotas.held(group, metric).map(held -> {
            long current = usage.current(metric);
            Long limit = usage.limits().baseLimit(metric);
            if (limit == null) {
                return new QuotaViews.StorageCheck(true, null, null, null, null);
            }
            long available = Math.max(0, limit - current - held);
            boolean fits = requested <= available;
            String reason = fits ? null : "Storing " + requested + " bytes would exceed the limit of "
                    + QuotaViews.amount(metric, limit) + " (" + available + " bytes available).";
            return new QuotaViews.StorageCheck(fits, available,
                    UsageApplier.display(metric, available).doubleValue(), reason,
                    fits ? null : QuotaViews.suggestion(catalog, usage.limits().plan(), metric,
                            current + held + requested));
        }));
    }

    @GET
    @Path("/status")
    @Operation(summary = "Overall status with warnings and recommendations in sentences")
    public Uni<QuotaViews.Status> status(@RestPath String groupId) {
        return quotas.usage(group(groupId)).map(usage -> QuotaViews.status(usage, catalog));
    }

    public record History(UUID groupId, String metric, String unit, List<HistoryDay> days) {
    }

    @GET
    @Path("/history")
    @Operation(summary = "Daily history of a metric for charts: each day's change and the value at its end")
    public Uni<History> history(@RestPath String groupId, @RestQuery String metric, @RestQuery String days) {
        UUID group = group(groupId);
        Metric chosen = metric == null ? null : Metric.of(metric).filter(Metric::metered).orElse(null);
        if (chosen == null) {
            throw ProblemException.badRequest("'metric' must be one of "
                    + String.join(", ", Metric.meteredMetrics().stream().map(Metric::key).toList()) + ".");
        }
        long span = PathIds.wholeNumber(days, "days", 1, MAX_HISTORY_DAYS, 30);
        return quotas.history(group, chosen, (int) span).map(list -> new History(group, chosen.key(),
                chosen == Metric.STORAGE_GB ? "bytes" : "count", list));
    }

    public record Overrides(UUID groupId, Map<String, Long> overrides) {
    }

    @GET
    @Path("/overrides")
    @Operation(summary = "The group's limits that replace its plan's (-1: unlimited)")
    public Uni<Overrides> overrides(@RestPath String groupId) {
        UUID group = group(groupId);
        return quotas.overrides(group).map(o -> new Overrides(group, o));
    }

    @PUT
    @Path("/overrides")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(TenantAccess.ADMIN)
    @Operation(summary = "Set per-group limits: {metric: limit (plan units, -1 unlimited) or null to remove}")
    public Uni<Overrides> changeOverrides(@RestPath String groupId, Map<String, JsonNode> request) {
        UUID group = group(groupId);
        return quotas.changeOverrides(group, request).map(o -> new Overrides(group, o));
    }

    private UUID group(String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return group;
    }
}
