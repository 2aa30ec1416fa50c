package dev.strata.quota.api;

import dev.strata.model.events.Topics;
import dev.strata.quota.messaging.ConsumerPositions;
import dev.strata.quota.messaging.ConsumerPositions.Position;
import dev.strata.quota.messaging.UsageLag;
import dev.strata.quota.service.QuotaService;
import dev.strata.quota.service.ReconcileService;
import dev.strata.quota.service.ReconcileService.Fix;
import dev.strata.quota.service.ReconcileService.Reconciliation;
import dev.strata.quota.service.UsageRebuilder;
import dev.strata.quota.service.UsageRebuilder.RebuildReport;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Operations on all groups at once, reconciliation and consumer lag; admin only. */
@Path("/admin/quotas")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class AdminResource {

    static final Duration REBUILD_LIMIT = Duration.ofHours(1);
    static final int DEFAULT_GROUPS = 20;
    static final int MAX_GROUPS = 500;

    private final UsageRebuilder rebuild;
    private final ReconcileService reconcile;
    private final ConsumerPositions positions;
    private final UsageLag lag;
    private final QuotaService quotas;
    private final Clock clock;

    public AdminResource(
            UsageRebuilder rebuild,
            ReconcileService reconcile,
            ConsumerPositions positions,
            UsageLag lag,
            QuotaService quotas,
            Clock clock) {
        this.rebuild = rebuild;
        this.reconcile = reconcile;
        this.positions = positions;
        this.lag = lag;
        this.quotas = quotas;
        this.clock = clock;
    }

    @GET
    @Path("/groups")
    @Operation(summary = "Usage against limits across groups, the groups nearest their limits first")
    @APIResponse(
            responseCode = "200",
            description = "the first limit (1 to 500, default 20) groups by highest"
                    + " percent used (unlimited metrics count as 0), then group id; each with the figures of its"
                    + " GET /groups/{groupId}/quotas")
    public Uni<GroupsUsage> groups(@RestQuery String limit) {
        int size = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_GROUPS, DEFAULT_GROUPS);
        return quotas.usageOfAll().map(all -> QuotaViews.groupsUsage(all, size, clock.instant()));
    }

    @POST
    @Path("/rebuild")
    @Operation(summary = "Rebuild every counter by replaying the event topic from the beginning; answers when done")
    @APIResponse(
            responseCode = "200",
            description = "rebuilt: what the replay read and applied",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RebuildReport.class),
                            examples = @ExampleObject(name = "rebuilt", value = """
                            {"recordsRead": 182340, "recordsFromArchive": 120000, "eventsApplied": 182001,
                             "duplicates": 312, "rejected": 27, "partitions": 6,
                             "startedAt": "2026-12-03T10:15:30.412Z", "finishedAt": "2026-12-03T10:16:11.646Z",
                             "durationMs": 41234}""")))
    @APIResponse(
            responseCode = "409",
            description = "conflict: a rebuild is already running, or records are"
                    + " neither on the topic nor in the stream archive (the detail names the offsets); nothing changed")
    public Uni<RebuildReport> rebuild() {
        return rebuild.rebuild(REBUILD_LIMIT);
    }

    @GET
    @Path("/reconcile")
    @Operation(
            summary = "Compare a group's counters with ingest-service's inventory; changes nothing",
            description = "Users, entities, connections and storage bytes: each counter, ingest's count and the drift"
                    + " (counter - source of truth).")
    @APIResponse(
            responseCode = "200",
            description = "each metric's counter, ingest's count and the drift",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Reconciliation.class),
                            examples = @ExampleObject(name = "drifted", value = """
                            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "checkedAt": "2026-12-03T10:15:30.412Z",
                             "metrics": {"users": {"counter": 12, "sourceOfTruth": 12, "drift": 0},
                                         "entities_total": {"counter": 98, "sourceOfTruth": 97, "drift": 1},
                                         "connections_total": {"counter": 40, "sourceOfTruth": 40, "drift": 0},
                                         "storage_gb": {"counter": 524288, "sourceOfTruth": 524288, "drift": 0}},
                             "inSync": false}""")))
    @APIResponse(responseCode = "404", description = "not-found: ingest-service does not know the group")
    public Uni<Reconciliation> reconcile(@RestQuery String groupId) {
        return reconcile.check(PathIds.uuid(groupId, "groupId"));
    }

    /** The path parameter is not called groupId: an admin's repair is not one of the group's metered API calls. */
    @POST
    @Path("/reconcile/{group}/fix")
    @Operation(
            summary = "Correct a group's counters to ingest-service's inventory",
            description = "Only if the drift holds still between two measurements: 409 while the group's events are"
                    + " still on their way.")
    @APIResponse(
            responseCode = "200",
            description = "fixed (or in sync already: no corrections)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Fix.class),
                            examples = @ExampleObject(name = "fixed", value = """
                            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "fixedAt": "2026-12-03T10:15:30.412Z",
                             "before": {"users": {"counter": 12, "sourceOfTruth": 12, "drift": 0},
                                        "entities_total": {"counter": 98, "sourceOfTruth": 97, "drift": 1},
                                        "connections_total": {"counter": 40, "sourceOfTruth": 40, "drift": 0},
                                        "storage_gb": {"counter": 524288, "sourceOfTruth": 524288, "drift": 0}},
                             "corrections": {"entities_total": -1}}""")))
    @APIResponse(responseCode = "404", description = "not-found: ingest-service does not know the group")
    @APIResponse(
            responseCode = "409",
            description = "conflict: the drift moved while measured, the consumer did not"
                    + " catch up, or the counters are locked (a rebuild); nothing written")
    public Uni<Fix> fix(@RestPath String group) {
        return reconcile.fix(PathIds.uuid(group, "group"));
    }

    /**
     * {@code committedOffset}: the next offset to apply, as the consumers committed it with their effects (any
     * replica); {@code lag}: records after it. {@code appliedOffset}: the next offset this replica will apply (null
     * if it applied none on the partition); {@code appliedLag}: the records after the later of the two.
     */
    public record PartitionLag(
            int partition, Long committedOffset, long endOffset, long lag, Long appliedOffset, long appliedLag) {}

    @Schema(
            description = "The consumers' position against the topic, and this replica's event-to-counter lag",
            example = """
            {"topic": "strata.events", "consumerGroup": "quota-service", "measuredAt": "2026-12-03T10:15:30.412Z",
             "partitions": [{"partition": 0, "committedOffset": 18211, "endOffset": 18215, "lag": 4,
                             "appliedOffset": 18213, "appliedLag": 2}],
             "totalLag": 4, "totalAppliedLag": 2,
             "applied": {"batchesApplied": 5120, "eventsApplied": 1832400, "batchesKept": 1000, "eventsKept": 351234,
                         "lastAppliedAt": "2026-12-03T10:15:30.101Z", "lastEventTime": "2026-12-03T10:15:30.062Z",
                         "p50Ms": 18, "p99Ms": 45, "maxMs": 210},
             "window": null}""")
    public record Lag(
            String topic,
            String consumerGroup,
            Instant measuredAt,
            List<PartitionLag> partitions,
            long totalLag,
            long totalAppliedLag,
            UsageLag.Snapshot applied,
            UsageLag.WindowSnapshot window) {}

    @Schema(description = "A lag window just opened, for one group or all (groupId null)", example = """
            {"openedAt": "2026-12-03T10:15:30.412Z", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c"}""")
    public record LagWindow(Instant openedAt, String groupId) {}

    @GET
    @Path("/lag")
    @Operation(
            summary = "Consumer offsets per partition and this replica's event-to-counter lag",
            description = "The consumers' applied (committed) against the end offset per partition, and this"
                    + " replica's event-to-counter lag (p50/p99/max in ms over its last batches, and over its window"
                    + " if one is open).")
    @APIResponse(responseCode = "200", description = "positions per partition, and the lag percentiles")
    public Uni<Lag> lag() {
        return positions.positions().map(list -> {
            List<PartitionLag> partitions = list.stream()
                    .map(p -> {
                        Long applied = lag.nextToApply(p.partition());
                        long through =
                                Math.max(p.committed() == null ? 0 : p.committed(), applied == null ? 0 : applied);
                        return new PartitionLag(
                                p.partition(),
                                p.committed(),
                                p.end(),
                                p.lag(),
                                applied,
                                Math.max(0, p.end() - through));
                    })
                    .toList();
            return new Lag(
                    Topics.EVENTS,
                    positions.consumerGroup(),
                    Instant.now(),
                    partitions,
                    list.stream().mapToLong(Position::lag).sum(),
                    partitions.stream().mapToLong(PartitionLag::appliedLag).sum(),
                    lag.snapshot(),
                    lag.windowSnapshot());
        });
    }

    /** For benchmarks: the lag of the events of one load phase, whatever the number of batches it takes. */
    @POST
    @Path("/lag/window")
    @Operation(
            summary = "Open an event-to-counter lag window on this replica",
            description = "From now on, GET /admin/quotas/lag also reports p50/p99/max over every event whose time is"
                    + " at or after the opening (of one group if groupId is given).")
    @APIResponse(responseCode = "200", description = "the window opened; it replaces any open one")
    public Uni<LagWindow> openLagWindow(@RestQuery String groupId) {
        String group = groupId == null ? null : PathIds.uuid(groupId, "groupId").toString();
        return Uni.createFrom().item(() -> new LagWindow(lag.openWindow(Instant.now(), group), group));
    }
}
