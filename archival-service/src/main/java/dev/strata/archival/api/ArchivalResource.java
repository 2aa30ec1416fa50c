package dev.strata.archival.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.service.ArchivalService;
import dev.strata.archival.service.ArchivalService.Started;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.RunStore.RunRow;
import dev.strata.archival.stream.StreamArchiveStatus;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Archive runs over every group (the Kubernetes CronJob calls {@code POST /archival/runs}), their progress, and
 * what the archive holds and would take. Admin only.
 */
@Path("/archival")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TenantAccess.ADMIN)
public class ArchivalResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ArchivalService archival;
    private final ArchivalConfig config;
    private final StreamArchiveStatus stream;

    public ArchivalResource(ArchivalService archival, ArchivalConfig config, StreamArchiveStatus stream) {
        this.archival = archival;
        this.config = config;
        this.stream = stream;
    }

    /**
     * The stream archive (every record of the event topic, in S3 by partition and offset range): per partition,
     * what it holds against the topic, its lag, and whether a rebuild could read everything from offset 0.
     */
    @GET
    @Path("/stream")
    public Uni<StreamArchiveStatus.View> stream() {
        return stream.view();
    }

    /** What a trigger answers (202): the run it started, or the one already running ({@code created=false}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(UUID id, String kind, String status, UUID groupId, Integer daysCutoff, Instant startedAt,
                           boolean created, String href) {

        static Response response(Started started) {
            RunRow run = started.run();
            String href = "/archival/runs/" + run.id();
            return Response.accepted(new Accepted(run.id(), run.kind(), run.status(), run.groupId(), run.daysCutoff(),
                            run.startedAt(), started.created(), href))
                    .location(URI.create(href))
                    .build();
        }
    }

    @POST
    @Path("/runs")
    public Uni<Response> start() {
        return archival.startArchive("api").map(Accepted::response);
    }

    @GET
    @Path("/runs/{id}")
    public Uni<RunView> run(@PathParam("id") String id) {
        return archival.run(PathIds.uuid(id, "id")).map(RunView::of);
    }

    /**
     * {@code retention}: the group's (with {@code groupId}; otherwise the default) in days, where it comes from
     * ({@code override}, {@code plan} or {@code default}) and the plan; {@code cutoff}: events before it are
     * eligible; {@code groupsByRetention}: without {@code groupId}, how many groups have each retention (days).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusView(UUID groupId, long eligibleForArchival, long alreadyArchived, long archivedObjects,
                             long archivedBytes, Config config, RetentionView retention, Instant cutoff,
                             Map<Integer, Long> groupsByRetention, Estimates estimates, RunSummary activeRun,
                             RunSummary lastRun) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetentionView(int days, String source, String plan) {
    }

    public record Config(int ageThresholdDays, int batchSize, int retentionDays) {
    }

    /** {@code storageSaved}: bytes the eligible events take in the hot store now. */
    public record Estimates(long storageSaved, double hoursToArchiveAll) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunSummary(UUID id, String status, Instant startedAt, Instant finishedAt, long totalArchived,
                             String error) {

        static RunSummary of(RunRow run) {
            return run == null ? null : new RunSummary(run.id(), run.status(), run.startedAt(), run.finishedAt(),
                    run.totalArchived(), run.error());
        }
    }

    @GET
    @Path("/status")
    public Uni<StatusView> status(@QueryParam("groupId") String groupId) {
        UUID group = PathIds.optionalUuid(groupId, "groupId");
        return archival.status(group).map(status -> new StatusView(status.groupId(), status.eligible(),
                status.archived().events(), status.archived().objects(), status.archived().bytes(),
                new Config(status.retention().days(), config.batchSize(), config.retentionDays()),
                new RetentionView(status.retention().days(), status.retention().source(), status.retention().plan()),
                status.cutoff(), status.groupsByRetention(),
                new Estimates(status.storageSaved(), status.hoursToArchiveAll()),
                RunSummary.of(status.activeRun()), RunSummary.of(status.lastRun())));
    }

    /** One event as it would be archived. */
    public record EventView(UUID id, UUID groupId, String type, UUID actorId, UUID targetId, Instant timestamp,
                            @JsonRawValue String metadata, Instant recordedAt) {

        static EventView of(EventRow row) {
            return new EventView(row.id(), row.groupId(), row.type(), row.actorId(), row.targetId(), row.timestamp(),
                    row.metadataJson(), row.recordedAt());
        }
    }

    /** {@code cutoffs}: the cut-off of each group whose events are listed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EligibleView(UUID groupId, Instant before, Map<UUID, Instant> cutoffs, int limit, int count,
                               boolean hasMore, List<EventView> events) {
    }

    @GET
    @Path("/eligible")
    public Uni<EligibleView> eligible(@QueryParam("groupId") String groupId, @QueryParam("before") String before,
                                      @QueryParam("limit") String limit) {
        UUID group = PathIds.optionalUuid(groupId, "groupId");
        Instant beforeTime = PathIds.optionalInstant(before, "before");
        int max = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return archival.eligible(group, beforeTime, max).map(eligible -> new EligibleView(group, eligible.before(),
                eligible.cutoffs(), max, eligible.events().size(), eligible.hasMore(),
                eligible.events().stream().map(EventView::of).toList()));
    }
}
