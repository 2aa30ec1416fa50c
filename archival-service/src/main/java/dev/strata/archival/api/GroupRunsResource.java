package dev.strata.archival.api;

import dev.strata.archival.service.ArchivalService;
import dev.strata.archival.store.RunStore.GroupRunRow;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The archive runs of one group, for its tenant's console: unlike the rest of the archival API (admin only), the
 * group's own tenant may read them; another tenant gets 403.
 */
@Path("/groups/{groupId}/archival/runs")
@Produces(MediaType.APPLICATION_JSON)
public class GroupRunsResource {

    static final int DEFAULT_RUNS = 20;
    static final int MAX_RUNS = 100;

    private final ArchivalService archival;
    private final TenantAccess access;

    public GroupRunsResource(ArchivalService archival, TenantAccess access) {
        this.archival = archival;
        this.access = access;
    }

    /**
     * One run's part for the group: its events the run archived and failed to, and the objects (and bytes) of the
     * group the run put in the archive (what its manifest lists; while it works, what it committed so far).
     */
    @Schema(description = "An archive run, with this group's part of it")
    public record GroupRun(
            UUID runId,
            String status,
            Instant startedAt,
            Instant finishedAt,
            long archived,
            long failed,
            long objects,
            long bytes) {

        static GroupRun of(GroupRunRow row) {
            return new GroupRun(
                    row.runId(),
                    row.status(),
                    row.startedAt(),
                    row.finishedAt(),
                    row.archived(),
                    row.failed(),
                    row.objects(),
                    row.bytes());
        }
    }

    @Schema(
            description = "The archive runs that archived (or tried to archive) events of the group, newest first",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "runs": [{"runId": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "status": "succeeded",
                       "startedAt": "2026-12-03T02:30:00.104Z", "finishedAt": "2026-12-03T02:31:12.480Z",
                       "archived": 75, "failed": 0, "objects": 2, "bytes": 6144}]}""")
    public record GroupRuns(UUID groupId, List<GroupRun> runs) {}

    @GET
    @Operation(summary = "The archive runs that archived events of the group, newest first, with its part of each")
    @APIResponse(
            responseCode = "200",
            description = "up to limit (1 to 100, default 20) runs; the group's own tenant" + " or an administrator")
    public Uni<GroupRuns> runs(@PathParam("groupId") String groupId, @QueryParam("limit") String limit) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int max = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_RUNS, DEFAULT_RUNS);
        return archival.runsOfGroup(group, max)
                .map(rows ->
                        new GroupRuns(group, rows.stream().map(GroupRun::of).toList()));
    }
}
