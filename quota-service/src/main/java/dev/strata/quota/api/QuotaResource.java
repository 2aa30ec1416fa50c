package dev.strata.quota.api;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

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
    @APIResponse(responseCode = "200", description = "every metric with its current use, limit, percent and status")
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
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
    @APIResponse(
            responseCode = "200",
            description = "what every service's API-call limit reads",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiCallAllowance.Allowance.class),
                            examples = @ExampleObject(name = "starter", value = """
                            {"limit": 1000, "used": 412}""")))
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
    public Uni<ApiCallAllowance.Allowance> apiCalls(@RestPath String groupId) {
        return quotas.usage(group(groupId)).map(QuotaViews::apiCalls);
    }

    @GET
    @Path("/entities/check")
    @Operation(summary = "Whether count more entities fit (usage plus open reservations)")
    @APIResponse(responseCode = "200", description = "whether they fit; if not, why and the plan that would fit them")
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
    public Uni<QuotaViews.EntityCheck> checkEntities(@RestPath String groupId, @RestQuery String count) {
        UUID group = group(groupId);
        long requested = PathIds.wholeNumber(count, "count", 0, Long.MAX_VALUE);
        Metric metric = Metric.ENTITIES_TOTAL;
        return quotas.usage(group)
                .chain(usage -> quotas.held(group, metric).map(held -> {
                    long current = usage.current(metric);
                    Long limit = usage.limits().baseLimit(metric);
                    if (limit == null) {
                        return new QuotaViews.EntityCheck(true, current, null, null, requested, null, null);
                    }
                    long available = Math.max(0, limit - current - held);
                    boolean fits = requested <= available;
                    String reason = fits
                            ? null
                            : "Creating " + requested + " entities would exceed the limit of "
                                    + QuotaViews.amount(metric, limit) + " (" + QuotaViews.amount(metric, current)
                                    + " used, " + QuotaViews.amount(metric, held) + " reserved, "
                                    + QuotaViews.amount(metric, available) + " available).";
                    return new QuotaViews.EntityCheck(
                            fits,
                            current,
                            limit,
                            available,
                            requested,
                            reason,
                            fits
                                    ? null
                                    : QuotaViews.suggestion(
                                            catalog, usage.limits().plan(), metric, current + held + requested));
                }));
    }

    @GET
    @Path("/storage/check")
    @Operation(summary = "Whether bytes more storage fit (usage plus open reservations)")
    @APIResponse(responseCode = "200", description = "whether they fit; if not, why and the plan that would fit them")
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
    public Uni<QuotaViews.StorageCheck> checkStorage(@RestPath String groupId, @RestQuery String bytes) {
        UUID group = group(groupId);
        long requested = PathIds.wholeNumber(bytes, "bytes", 0, Long.MAX_VALUE);
        Metric metric = Metric.STORAGE_GB;
        return quotas.usage(group)
                .chain(usage -> quotas.held(group, metric).map(held -> {
                    long current = usage.current(metric);
                    Long limit = usage.limits().baseLimit(metric);
                    if (limit == null) {
                        return new QuotaViews.StorageCheck(true, null, null, null, null);
                    }
                    long available = Math.max(0, limit - current - held);
                    boolean fits = requested <= available;
                    String reason = fits
                            ? null
                            : "Storing " + requested + " bytes would exceed the limit of "
                                    + QuotaViews.amount(metric, limit) + " (" + available + " bytes available).";
                    return new QuotaViews.StorageCheck(
                            fits,
                            available,
                            UsageApplier.display(metric, available).doubleValue(),
                            reason,
                            fits
                                    ? null
                                    : QuotaViews.suggestion(
                                            catalog, usage.limits().plan(), metric, current + held + requested));
                }));
    }

    @GET
    @Path("/status")
    @Operation(summary = "Overall status with warnings and recommendations in sentences")
    @APIResponse(responseCode = "200", description = "the worst status of the group's metrics, and what to do")
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
    public Uni<QuotaViews.Status> status(@RestPath String groupId) {
        return quotas.usage(group(groupId)).map(usage -> QuotaViews.status(usage, catalog));
    }

    @Schema(
            description = "A metric's daily history in base units (bytes for storage_gb): each UTC day's change and"
                    + " the value at its end, oldest first",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "metric": "entities_total", "unit": "count",
             "days": [{"day": "2026-12-01", "delta": 12, "value": 85},
                      {"day": "2026-12-02", "delta": 0, "value": 85},
                      {"day": "2026-12-03", "delta": 12, "value": 97}]}""")
    public record History(UUID groupId, String metric, String unit, List<HistoryDay> days) {}

    @GET
    @Path("/history")
    @Operation(summary = "Daily history of a metric for charts: each day's change and the value at its end")
    @APIResponse(responseCode = "200", description = "the last days (1 to 400, default 30) of the metric")
    @APIResponse(
            responseCode = "404",
            description = "not-found: quota-service does not know the group (its"
                    + " group_created has not arrived and ingest-service could not confirm it)")
    public Uni<History> history(@RestPath String groupId, @RestQuery String metric, @RestQuery String days) {
        UUID group = group(groupId);
        Metric chosen = metric == null
                ? null
                : Metric.of(metric).filter(Metric::metered).orElse(null);
        if (chosen == null) {
            throw ProblemException.badRequest("'metric' must be one of "
                    + String.join(
                            ", ",
                            Metric.meteredMetrics().stream().map(Metric::key).toList()) + ".");
        }
        long span = PathIds.wholeNumber(days, "days", 1, MAX_HISTORY_DAYS, 30);
        return quotas.history(group, chosen, (int) span)
                .map(list -> new History(group, chosen.key(), chosen == Metric.STORAGE_GB ? "bytes" : "count", list));
    }

    @Schema(
            description = "The group's limits that replace its plan's, in the plan's units (GB for storage_gb);"
                    + " -1 is unlimited",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "overrides": {"entities_total": 20000, "users": -1}}""")
    public record Overrides(UUID groupId, Map<String, Long> overrides) {}

    /**
     * The body of {@code PUT .../overrides}, for the documentation only: the method reads the body as a map of
     * metric to JSON value, so that each value is checked and reported by its metric's name.
     */
    @Schema(
            description = "The limits to change, by metric: a whole number in the plan's units (GB for storage_gb),"
                    + " -1 for unlimited, or null to remove the override (back to the plan's limit); metrics left out stay"
                    + " as they are. At least one metric.")
    public record OverridesRequest(
            Long users,
            @JsonProperty("storage_gb") Long storageGb,
            @JsonProperty("api_calls_per_month") Long apiCallsPerMonth,
            @JsonProperty("entities_total") Long entitiesTotal,
            @JsonProperty("connections_total") Long connectionsTotal,
            @JsonProperty("events_retention_days") Long eventsRetentionDays) {}

    @GET
    @Path("/overrides")
    @Operation(summary = "The group's limits that replace its plan's (-1: unlimited)")
    @APIResponse(responseCode = "200", description = "the overrides in force (an empty object: none)")
    public Uni<Overrides> overrides(@RestPath String groupId) {
        UUID group = group(groupId);
        return quotas.overrides(group).map(o -> new Overrides(group, o));
    }

    @PUT
    @Path("/overrides")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(TenantAccess.ADMIN)
    @Operation(summary = "Set per-group limits: {metric: limit (plan units, -1 unlimited) or null to remove}")
    @APIResponse(responseCode = "200", description = "the overrides now in force")
    @APIResponse(
            responseCode = "422",
            description = "validation-failed: no metric, an unknown metric, or a limit that"
                    + " is not a whole number >= -1 or null; each named in errors[], nothing changed")
    public Uni<Overrides> changeOverrides(
            @RestPath String groupId,
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = OverridesRequest.class),
                                            examples = @ExampleObject(name = "raise", value = """
                            {"entities_total": 20000, "users": -1, "storage_gb": null}""")))
                    Map<String, JsonNode> request) {
        UUID group = group(groupId);
        return quotas.changeOverrides(group, request).map(o -> new Overrides(group, o));
    }

    private UUID group(String groupId) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        return group;
    }
}
