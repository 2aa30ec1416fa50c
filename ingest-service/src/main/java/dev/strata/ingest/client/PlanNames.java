package dev.strata.ingest.client;

import dev.strata.ingest.client.PlanClient.PlanName;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The plans a group may be given. Plans are quota-service's configuration, so they are asked of it ({@code GET
 * /plans}) and kept for {@code strata.ingest.quota.plans-refresh}: a plan added there can be assigned here without a
 * change to ingest. When quota-service cannot answer, the last list it gave is used; before it has given one, a
 * group cannot be created or change plans (503). With the quota gate off, {@code strata.ingest.quota.plans} is the
 * list.
 */
@ApplicationScoped
public class PlanNames {

    private static final Logger LOG = Logger.getLogger(PlanNames.class);

    private record Known(Set<String> names, long readAtNanos) {}

    private final PlanClient quota;
    private final QuotaClientConfig config;
    private volatile Known known;

    public PlanNames(@RestClient PlanClient quota, QuotaClientConfig config) {
        this.quota = quota;
        this.config = config;
    }

    /** The plan names, in quota-service's order (cheapest first). */
    public Uni<Set<String>> known() {
        if (!config.enabled()) {
            return Uni.createFrom().item(Collections.unmodifiableSet(new LinkedHashSet<>(config.plans())));
        }
        Known current = known;
        if (current != null
                && System.nanoTime() - current.readAtNanos()
                        < config.plansRefresh().toNanos()) {
            return Uni.createFrom().item(current.names());
        }
        return quota.plans()
                .ifNoItem()
                .after(config.timeout())
                .fail()
                .map(plans -> {
                    Set<String> names = new LinkedHashSet<>();
                    for (PlanName plan : plans) {
                        names.add(plan.name());
                    }
                    known = new Known(Collections.unmodifiableSet(names), System.nanoTime());
                    return known.names();
                })
                .onFailure()
                .recoverWithUni(failure -> {
                    if (current != null) {
                        LOG.warnf(
                                "quota-service did not list its plans (%s); using the list it gave before",
                                failure.toString());
                        return Uni.createFrom().item(current.names());
                    }
                    return Uni.createFrom()
                            .failure(new ProblemException(Problem.of(
                                    ProblemType.SERVICE_UNAVAILABLE,
                                    "The plans are quota-service's, and it did not answer (" + failure.getMessage()
                                            + "); try again later.")));
                });
    }
}
