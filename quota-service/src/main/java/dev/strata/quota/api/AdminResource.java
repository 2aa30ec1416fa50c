package dev.strata.quota.api;

import dev.strata.model.events.Topics;
import dev.strata.quota.messaging.AppliedLag;
import dev.strata.quota.messaging.ConsumerPositions;
import dev.strata.quota.messaging.ConsumerPositions.Position;
import dev.strata.quota.service.RebuildService;
import dev.strata.quota.service.RebuildService.RebuildReport;
import dev.strata.quota.service.ReconcileService;
import dev.strata.quota.service.ReconcileService.Fix;
import dev.strata.quota.service.ReconcileService.Reconciliation;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Operations on all groups at once, reconciliation and consumer lag; admin only. */
@Path("/admin/quotas")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class AdminResource {

    static final Duration REBUILD_LIMIT = Duration.ofHours(1);

    private final RebuildService rebuild;
    private final ReconcileService reconcile;
    private final ConsumerPositions positions;
    private final AppliedLag lag;

    public AdminResource(RebuildService rebuild, ReconcileService reconcile, ConsumerPositions positions,
                         AppliedLag lag) {
        this.rebuild = rebuild;
        this.reconcile = reconcile;
        this.positions = positions;
        this.lag = lag;
    }

    @POST
    @Path("/rebuild")
    @Operation(summary = "Rebuild every counter by replaying the event topic from the beginning; answers when done")
    public Uni<RebuildReport> rebuild() {
        return rebuild.rebuild(REBUILD_LIMIT);
    }

    @GET
    @Path("/reconcile")
    @Operation(summary = "Compare a group's counters (users, entities, connections, storage bytes) with"
            + " ingest-service's inventory and report the drift (counter - source of truth); changes nothing")
    public Uni<Reconciliation> reconcile(@RestQuery String groupId) {
        return reconcile.check(PathIds.uuid(groupId, "groupId"));
    }

    /** The path parameter is not called groupId: an admin's repair is not one of the group's metered API calls. */
    @POST
    @Path("/reconcile/{group}/fix")
    @Operation(summary = "Correct a group's counters to ingest-service's inventory, if the drift holds still;"
            + " 409 while the group's events are still on their way")
    public Uni<Fix> fix(@RestPath String group) {
        return reconcile.fix(PathIds.uuid(group, "group"));
    }

    /**
     * {@code committedOffset}: the next offset to apply, as the consumers committed it with their effects (any
     * replica); {@code lag}: records after it. {@code appliedOffset}: the next offset this replica will apply (null
     * if it applied none on the partition); {@code appliedLag}: the records after the later of the two.
     */
    public record PartitionLag(int partition, Long committedOffset, long endOffset, long lag, Long appliedOffset,
                               long appliedLag) {
    }

    public record Lag(String topic, String consumerGroup, Instant measuredAt, List<PartitionLag> partitions,
                      long totalLag, long totalAppliedLag, AppliedLag.Snapshot applied,
                      AppliedLag.WindowSnapshot window) {
    }

    public record LagWindow(Instant openedAt, String groupId) {
    }

    @GET
    @Path("/lag")
    @Operation(summary = "The consumers' applied (committed) vs end offset per partition, and this replica's"
            + " event-to-counter lag (p50/p99/max in ms over its last batches, and over its window if one is open)")
    public Uni<Lag> lag() {
        return positions.positions().map(list -> {
            List<PartitionLag> partitions = list.stream()
                    .map(p -> {
                        Long applied = lag.nextToApply(p.partition());
                        long through = Math.max(p.committed() == null ? 0 : p.committed(),
                                applied == null ? 0 : applied);
                        return new PartitionLag(p.partition(), p.committed(), p.end(), p.lag(), applied,
                                Math.max(0, p.end() - through));
                    })
                    .toList();
            return new Lag(Topics.EVENTS, positions.consumerGroup(), Instant.now(), partitions,
                    list.stream().mapToLong(Position::lag).sum(),
                    partitions.stream().mapToLong(PartitionLag::appliedLag).sum(), lag.snapshot(),
                    lag.windowSnapshot());
        });
    }

    /** For benchmarks: the lag of the events of one load phase, whatever the number of batches it takes. */
    @POST
    @Path("/lag/window")
    @Operation(summary = "Open a new event-to-counter lag window on this replica: from now on, GET /admin/quotas/lag"
            + " also reports p50/p99/max over every event whose time is at or after the opening (of one group if"
            + " groupId is given)")
    public Uni<LagWindow> openLagWindow(@RestQuery String groupId) {
        String group = groupId == null ? null : PathIds.uuid(groupId, "groupId").toString();
        return Uni.createFrom().item(() -> new LagWindow(lag.openWindow(Instant.now(), group), group));
    }
}
