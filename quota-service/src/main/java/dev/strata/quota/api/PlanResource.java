package dev.strata.quota.api;

import dev.strata.quota.service.Plan;
import dev.strata.quota.service.PlanCatalog;
import dev.strata.support.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/** The plans as configured: prices, quotas and the upgrade path. Any authenticated caller may read them. */
@Path("/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

    private final PlanCatalog catalog;

    public PlanResource(PlanCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "Every plan, cheapest first (quotas: limit per metric, null = unlimited)")
    @APIResponse(responseCode = "200", description = "the plans as configured")
    public List<QuotaViews.PlanView> plans() {
        return catalog.ordered().stream()
                .map(plan -> QuotaViews.plan(plan, catalog.currency()))
                .toList();
    }

    @GET
    @Path("/{plan}/upgrades")
    @Operation(summary = "The plan's prices and quotas and each upgrade with its monthly and annual difference")
    @APIResponse(responseCode = "200", description = "the plan and its upgrades")
    @APIResponse(responseCode = "404", description = "not-found: no plan of that name")
    public QuotaViews.Upgrades upgrades(@RestPath String plan) {
        Plan current = catalog.find(plan).orElseThrow(() -> ProblemException.notFound("No plan '" + plan + "'."));
        return QuotaViews.upgrades(current, catalog);
    }
}
