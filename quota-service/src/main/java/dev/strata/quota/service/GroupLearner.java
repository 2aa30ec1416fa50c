package dev.strata.quota.service;

import dev.strata.quota.client.IngestClient;
import dev.strata.quota.config.QuotaConfig;
import dev.strata.quota.store.GroupPlanStore;
import dev.strata.quota.store.GroupPlanStore.GroupPlan;
import dev.strata.quota.store.Tables;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Learns a group quota-service has not seen on the stream yet from ingest-service, which owns groups: writes to a
 * group must not wait for its {@code group_created} to travel through the broker. The plan is recorded with the
 * time ingest says it was set, through the same upsert the consumer uses (a plan older than the one recorded
 * changes nothing), so the group's own events, when they arrive, order with it exactly as with each other: its
 * {@code group_created} changes nothing, a later {@code group_plan_changed} wins. Only groups missing from
 * {@code groups} are asked about, so nothing learned here is ever stale beyond what the stream already corrects.
 */
@ApplicationScoped
public class GroupLearner {

    private static final Logger LOG = Logger.getLogger(GroupLearner.class);

    private final Pool pool;
    private final IngestClient ingest;
    private final GroupPlanStore groups;
    private final Duration timeout;

    public GroupLearner(Pool pool, @RestClient IngestClient ingest, GroupPlanStore groups, QuotaConfig config) {
        this.pool = pool;
        this.ingest = ingest;
        this.groups = groups;
        this.timeout = config.groups().learnTimeout();
    }

    /**
     * Asks ingest about the group and records its plan. True when the group is now in {@code groups}; false when
     * ingest does not know it (404) or could not answer, and the group stays unknown (404 to the caller, which
     * ingest retries for a while): quota-service answers no worse than it did without asking.
     */
    public Uni<Boolean> learn(UUID groupId) {
        return ingest.group(groupId)
                .ifNoItem()
                .after(timeout)
                .fail()
                .onItemOrFailure()
                .transformToUni((group, failure) -> {
                    if (failure != null) {
                        if (failure instanceof WebApplicationException web
                                && web.getResponse().getStatus() == 404) {
                            LOG.debugf("ingest-service does not know group %s either", groupId);
                        } else {
                            LOG.warnf(
                                    "Could not ask ingest-service about group %s, not seen on the stream yet: %s",
                                    groupId, failure.toString());
                        }
                        return Uni.createFrom().item(false);
                    }
                    if (group == null
                            || group.plan() == null
                            || group.plan().isBlank()
                            || group.planAt() == null
                            || !groupId.equals(group.id())) {
                        LOG.warnf(
                                "ingest-service answered group %s without its id, plan or the plan's time: %s",
                                groupId, group);
                        return Uni.createFrom().item(false);
                    }
                    GroupPlan plan = new GroupPlan(
                            groupId, group.name(), group.plan(), group.planAt().truncatedTo(ChronoUnit.MICROS));
                    return groups.upsert(pool, Tables.LIVE, List.of(plan))
                            .invoke(() -> LOG.infof(
                                    "Learned group %s from ingest-service: plan %s, set at %s",
                                    groupId, plan.plan(), plan.planAt()))
                            .replaceWith(true);
                });
    }
}
