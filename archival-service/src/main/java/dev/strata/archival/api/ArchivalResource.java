package dev.strata.archival.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.service.ArchivalService;
import dev.strata.archival.service.ArchivalService.Started;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.EventRow;
import dev.strata.archival.store.RunStore.ListedRun;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

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
    static final int DEFAULT_RUNS = 20;
    static final int MAX_RUNS = 100;

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
    @Operation(summary = "The stream archive against the topic, partition by partition")
    @APIResponse(
            responseCode = "200",
            description = "what the stream archive holds, its lag, and whether a rebuild"
                    + " could read every record from offset 0 (the topic's offsets are left out, with topicError, when the"
                    + " broker does not answer)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = StreamArchiveStatus.View.class),
                            examples = @ExampleObject(name = "archiving", value = """
                            {"enabled": true, "topic": "strata.events", "bucket": "strata-archive", "prefix": "stream",
                             "archiver": "archiving", "archiverSince": "2026-12-03T08:00:02.311Z",
                             "lastSegmentAt": "2026-12-03T10:15:02.870Z", "covered": true,
                             "partitions": [{"partition": 0, "archivedFrom": 0, "archivedTo": 18200, "segments": 12,
                                             "records": 18200, "bytes": 4718592, "topicStart": 0,
                                             "topicEnd": 18215, "lag": 15, "covered": true}]}""")))
    public Uni<StreamArchiveStatus.View> stream() {
        return stream.view();
    }

    /** What a trigger answers (202): the run it started, or the one already running ({@code created=false}). */
    @Schema(
            description = "The run a trigger started, or the one already running (created=false); Location and href"
                    + " name it. groupId is absent for a run over every group",
            example = """
            {"id": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "kind": "archive", "status": "running", "daysCutoff": 365,
             "startedAt": "2026-12-03T02:30:00.104Z", "created": true, "href": "/archival/runs/0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f"}""")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(
            UUID id,
            String kind,
            String status,
            UUID groupId,
            Integer daysCutoff,
            Instant startedAt,
            boolean created,
            String href) {

        static RestResponse<Accepted> response(Started started) {
            ArchiveRun run = started.run();
            String href = "/archival/runs/" + run.id();
            return RestResponse.ResponseBuilder.accepted(new Accepted(
                            run.id(),
                            run.kind(),
                            run.status(),
                            run.groupId(),
                            run.daysCutoff(),
                            run.startedAt(),
                            started.created(),
                            href))
                    .location(URI.create(href))
                    .build();
        }
    }

    @POST
    @Path("/runs")
    @Operation(summary = "Start an archive run over every group, or answer the one already running")
    @APIResponse(
            responseCode = "202",
            description = "accepted: the run started (created=true) or the active one",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "409", description = "conflict: another run started and ended meanwhile; try again")
    public Uni<RestResponse<Accepted>> start() {
        return archival.startArchive("api").map(Accepted::response);
    }

    /**
     * One archive run in the list: {@code objects} and {@code bytes} are what it put in the archive (what its
     * manifest lists as added; while it works, what it committed so far), {@code progress} as
     * {@code GET /archival/runs/{id}} gives it.
     */
    @Schema(
            description = "An archive run: its totals, the objects and bytes it put in the archive (its manifest's;"
                    + " while it works, what it committed so far) and its progress in percent")
    public record RunSummary(
            UUID runId,
            String status,
            Instant startedAt,
            Instant finishedAt,
            long groupsProcessed,
            long totalArchived,
            long totalFailed,
            long objects,
            long bytes,
            double progress) {

        static RunSummary of(ListedRun listed) {
            ArchiveRun run = listed.run();
            return new RunSummary(
                    run.id(),
                    run.status(),
                    run.startedAt(),
                    run.finishedAt(),
                    run.groupsProcessed(),
                    run.totalArchived(),
                    run.totalFailed(),
                    listed.objects(),
                    listed.bytes(),
                    RunView.progress(run));
        }
    }

    @Schema(description = "The latest archive runs (over every group, or one group), newest first", example = """
            {"runs": [{"runId": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "status": "running", "startedAt": "2026-12-03T02:30:00.104Z",
                       "finishedAt": null, "groupsProcessed": 310, "totalArchived": 120400, "totalFailed": 0,
                       "objects": 402, "bytes": 24117248, "progress": 41.5},
                      {"runId": "0190f4a1-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "status": "succeeded", "startedAt": "2026-12-02T02:30:00.088Z",
                       "finishedAt": "2026-12-02T02:41:12.480Z", "groupsProcessed": 742, "totalArchived": 290113,
                       "totalFailed": 0, "objects": 981, "bytes": 58720256, "progress": 100.0}]}""")
    public record Runs(List<RunSummary> runs) {}

    @GET
    @Path("/runs")
    @Operation(summary = "The latest archive runs, newest first")
    @APIResponse(
            responseCode = "200",
            description = "up to limit (1 to 100, default 20) archive runs; restores are" + " not listed")
    public Uni<Runs> runs(@QueryParam("limit") String limit) {
        int max = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_RUNS, DEFAULT_RUNS);
        return archival.latestRuns(max)
                .map(list -> new Runs(list.stream().map(RunSummary::of).toList()));
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "An archive or restore run: state, totals and its objects so far")
    @APIResponse(responseCode = "200", description = "the run")
    @APIResponse(responseCode = "404", description = "not-found: no such run")
    public Uni<RunView> run(@PathParam("id") String id) {
        return archival.run(PathIds.uuid(id, "id")).map(RunView::of);
    }

    /**
     * {@code retention}: the group's (with {@code groupId}; otherwise the default) in days, where it comes from
     * ({@code override}, {@code plan} or {@code default}) and the plan; {@code cutoff}: events before it are
     * eligible; {@code groupsByRetention}: without {@code groupId}, how many groups have each retention (days).
     */
    @Schema(description = "What the archive holds and what a run would take now, of one group or all", example = """
            {"eligibleForArchival": 1200, "alreadyArchived": 45000, "archivedObjects": 310,
             "archivedBytes": 18350210, "config": {"ageThresholdDays": 365, "batchSize": 1000, "retentionDays": 2555},
             "retention": {"days": 365, "source": "default"}, "cutoff": "2025-12-03T10:15:30.412Z",
             "groupsByRetention": {"90": 812, "365": 140}, "estimates": {"storageSaved": 512000,
             "hoursToArchiveAll": 0.02},
             "lastRun": {"id": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "status": "succeeded", "startedAt": "2026-12-03T02:30:00.104Z",
                         "finishedAt": "2026-12-03T02:31:12.480Z", "totalArchived": 75}}""")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusView(
            UUID groupId,
            long eligibleForArchival,
            long alreadyArchived,
            long archivedObjects,
            long archivedBytes,
            Config config,
            RetentionView retention,
            Instant cutoff,
            Map<Integer, Long> groupsByRetention,
            Estimates estimates,
            RunBrief activeRun,
            RunBrief lastRun) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetentionView(int days, String source, String plan) {}

    public record Config(int ageThresholdDays, int batchSize, int retentionDays) {}

    /** {@code storageSaved}: bytes the eligible events take in the hot store now. */
    public record Estimates(long storageSaved, double hoursToArchiveAll) {}

    /** The active or last run, as the status names it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunBrief(
            UUID id, String status, Instant startedAt, Instant finishedAt, long totalArchived, String error) {

        static RunBrief of(ArchiveRun run) {
            return run == null
                    ? null
                    : new RunBrief(
                            run.id(),
                            run.status(),
                            run.startedAt(),
                            run.finishedAt(),
                            run.totalArchived(),
                            run.error());
        }
    }

    @GET
    @Path("/status")
    @Operation(summary = "What the archive holds, what is eligible now and how long archiving it would take")
    @APIResponse(
            responseCode = "200",
            description = "with groupId, that group's figures and retention; without, all"
                    + " groups', each with its own retention")
    public Uni<StatusView> status(@QueryParam("groupId") String groupId) {
        UUID group = PathIds.optionalUuid(groupId, "groupId");
        return archival.status(group)
                .map(status -> new StatusView(
                        status.groupId(),
                        status.eligible(),
                        status.archived().events(),
                        status.archived().objects(),
                        status.archived().bytes(),
                        new Config(status.retention().days(), config.batchSize(), config.retentionDays()),
                        new RetentionView(
                                status.retention().days(),
                                status.retention().source(),
                                status.retention().plan()),
                        status.cutoff(),
                        status.groupsByRetention(),
                        new Estimates(status.storageSaved(), status.hoursToArchiveAll()),
                        RunBrief.of(status.activeRun()),
                        RunBrief.of(status.lastRun())));
    }

    /** One event as it would be archived. */
    public record EventView(
            UUID id,
            UUID groupId,
            String type,
            UUID actorId,
            UUID targetId,
            Instant timestamp,

            @Schema(type = SchemaType.OBJECT, description = "the event's metadata as stored") @JsonRawValue
            String metadata,

            Instant recordedAt) {

        static EventView of(EventRow row) {
            return new EventView(
                    row.id(),
                    row.groupId(),
                    row.type(),
                    row.actorId(),
                    row.targetId(),
                    row.timestamp(),
                    row.metadataJson(),
                    row.recordedAt());
        }
    }

    /** {@code cutoffs}: the cut-off of each group whose events are listed. */
    @Schema(description = "The oldest events a run would take, with the cut-off of each group listed", example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "before": "2025-12-03T10:15:30.412Z",
             "cutoffs": {"0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c": "2025-12-03T10:15:30.412Z"}, "limit": 100, "count": 1,
             "hasMore": false,
             "events": [{"id": "5f0c6a53-8f2e-4a55-9d3e-1b7f0f1c2a10", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "revenue_generated",
                         "actorId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "targetId": null, "timestamp": "2024-11-02T12:00:00Z",
                         "metadata": {"amount": 9.99, "currency": "USD"}, "recordedAt": "2024-11-02T12:00:01Z"}]}""")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EligibleView(
            UUID groupId,
            Instant before,
            Map<UUID, Instant> cutoffs,
            int limit,
            int count,
            boolean hasMore,
            List<EventView> events) {}

    @GET
    @Path("/eligible")
    @Operation(summary = "The events a run would take: older than before, or than each group's cut-off")
    @APIResponse(responseCode = "200", description = "the oldest eligible events (limit 1 to 1000, default 100)")
    public Uni<EligibleView> eligible(
            @QueryParam("groupId") String groupId,
            @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        UUID group = PathIds.optionalUuid(groupId, "groupId");
        Instant beforeTime = PathIds.optionalInstant(before, "before");
        int max = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        return archival.eligible(group, beforeTime, max)
                .map(eligible -> new EligibleView(
                        group,
                        eligible.before(),
                        eligible.cutoffs(),
                        max,
                        eligible.events().size(),
                        eligible.hasMore(),
                        eligible.events().stream().map(EventView::of).toList()));
    }
}
