package dev.strata.archival.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.archival.service.ArchivalService.RunDetails;
import dev.strata.archival.store.ArchiveRun;
import dev.strata.archival.store.RunStore.BatchRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /archival/runs/{id}}. Durations are milliseconds; {@code successRate} and {@code progress} are
 * percentages. {@code progress} compares what the run moved with what was eligible when it started.
 * {@code expiredObjects}: archived objects the run removed from S3 for the archive's retention.
 */
@Schema(
        description = "An archive or restore run: its state, totals, and one batch per object it committed (or"
                + " could not); absent fields are null (groupId of a run over every group, error of a run that did not fail,"
                + " restore of an archive run)",
        example = """
        {"id": "0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f", "kind": "archive", "trigger": "api", "daysCutoff": 365, "status": "succeeded",
         "stale": false, "startedAt": "2026-12-03T02:30:00.104Z", "finishedAt": "2026-12-03T02:31:12.480Z",
         "heartbeatAt": "2026-12-03T02:31:10.002Z", "groupsTotal": 2, "groupsProcessed": 2, "eligibleAtStart": 75,
         "totalArchived": 75, "totalFailed": 0, "totalTime": 72376, "successRate": 100.0, "progress": 100.0,
         "batches": [{"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "date": "2025-07-21",
                      "objectKey": "events/group=0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c/date=2025-07-21/part-0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f-00000.ndjson.gz",
                      "archived": 45, "failed": 0, "duration": 812, "recovered": false},
                     {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "date": "2025-07-22",
                      "objectKey": "events/group=0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c/date=2025-07-22/part-0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f-00001.ndjson.gz",
                      "archived": 30, "failed": 0, "duration": 640, "recovered": false}],
         "manifestKey": "manifests/run=0190f5b2-7c3e-7d4a-9e1f-2a3b4c5d6e7f.json", "expiredObjects": 0}""")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        UUID id,
        String kind,
        String trigger,
        UUID groupId,
        Integer daysCutoff,
        String status,
        String error,
        boolean stale,
        Instant startedAt,
        Instant finishedAt,
        Instant heartbeatAt,
        int groupsTotal,
        int groupsProcessed,
        long eligibleAtStart,
        long totalArchived,
        long totalFailed,
        long totalTime,
        double successRate,
        double progress,
        List<Batch> batches,
        String manifestKey,
        Restore restore,
        int expiredObjects) {

    /** One object of the run: the events of a group and day it moved (or failed to). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(
            UUID groupId,
            LocalDate date,
            String objectKey,
            int archived,
            int failed,
            long duration,
            boolean recovered) {}

    public record Restore(
            Instant from, Instant to, Long restored, Long alreadyPresent, Long refused, Integer objectsRead) {}

    static RunView of(RunDetails details) {
        ArchiveRun run = details.run();
        Instant end = run.finishedAt() != null ? run.finishedAt() : Instant.now();
        long attempted = run.totalArchived() + run.totalFailed();
        double successRate = attempted == 0 ? 100.0 : Math.round(run.totalArchived() * 10000.0 / attempted) / 100.0;
        double progress = progress(run);
        List<Batch> batches = details.batches().stream().map(RunView::batch).toList();
        Restore restore = "restore".equals(run.kind())
                ? new Restore(
                        run.restoreFrom(),
                        run.restoreTo(),
                        run.restored(),
                        run.alreadyPresent(),
                        run.refused(),
                        run.objectsRead())
                : null;
        return new RunView(
                run.id(),
                run.kind(),
                run.trigger(),
                run.groupId(),
                run.daysCutoff(),
                run.status(),
                run.error(),
                details.stale(),
                run.startedAt(),
                run.finishedAt(),
                run.heartbeatAt(),
                run.groupsTotal(),
                run.groupsProcessed(),
                run.eligibleAtStart(),
                run.totalArchived(),
                run.totalFailed(),
                Duration.between(run.startedAt(), end).toMillis(),
                successRate,
                progress,
                batches,
                run.manifestKey(),
                restore,
                run.expiredObjects());
    }

    /** What the run moved (or failed to) against what was eligible at its start, in percent; 100 once it succeeded. */
    static double progress(ArchiveRun run) {
        long attempted = run.totalArchived() + run.totalFailed();
        if (!run.running()) {
            return "succeeded".equals(run.status()) ? 100.0 : percent(attempted, run.eligibleAtStart());
        }
        return Math.min(99.9, percent(attempted, run.eligibleAtStart()));
    }

    private static double percent(long done, long of) {
        return of <= 0 ? 0.0 : Math.min(100.0, Math.round(done * 1000.0 / of) / 10.0);
    }

    private static Batch batch(BatchRow row) {
        return new Batch(
                row.groupId(),
                row.day(),
                row.objectKey(),
                row.archived(),
                row.failed(),
                row.durationMillis(),
                row.recovered());
    }
}
