package dev.strata.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.service.ImportService;
import dev.strata.ingest.store.ImportJobStore.ImportJob;
import dev.strata.model.problem.FieldError;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The progress of an import job, for a tenant of the job's group (or the admin and service roles):
 * {@code {id, groupId, status: queued|running|succeeded|failed, format, bytes, processed, created, failed,
 * percent, itemsPerSecond, etaSeconds, errors: [{index, field, error}], error, createdAt, startedAt,
 * finishedAt}}. {@code percent} is the share of the body read (100 once the job succeeded); {@code errors} holds
 * the first {@code strata.ingest.imports.max-reported-errors} item errors, {@code failed} counts them all;
 * {@code error} says why a failed job stopped, or why a running one waits.
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportJobResource {

    private static final TypeReference<List<FieldError>> ERRORS = new TypeReference<>() {};

    private final ImportService imports;
    private final TenantAccess access;
    private final ObjectMapper mapper;

    public ImportJobResource(ImportService imports, TenantAccess access, ObjectMapper mapper) {
        this.imports = imports;
        this.access = access;
        this.mapper = mapper;
    }

    /**
     * An import job as its progress bar shows it. {@code errors} is null (and left out) in lists of jobs, which
     * show progress only; {@code GET /imports/{id}} has them.
     */
    @Schema(description = "An import job's status and progress; `errors` only when one job is read", example = """
            {"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "status": "running", "format": "ndjson", "bytes": 81000000, "processed": 400000, "created": 399998,
             "failed": 2, "percent": 40.0, "itemsPerSecond": 9523.81, "etaSeconds": 63,
             "errors": [{"index": 7, "field": "name", "error": "must not be blank"},
                        {"index": 2999, "field": "type", "error": "unknown thing type 'spaceship'"}],
             "error": null, "createdAt": "2026-12-03T10:00:00Z", "startedAt": "2026-12-03T10:00:01Z",
             "finishedAt": null}""")
    public record ImportView(
            UUID id,
            UUID groupId,

            @Schema(enumeration = {"queued", "running", "succeeded", "failed"})
            String status,

            @Schema(enumeration = {"ndjson", "csv"}) String format,

            @Schema(description = "the body's size in bytes")
            long bytes,

            @Schema(description = "items read so far (NDJSON non-blank lines, CSV data rows), failed ones included")
            long processed,

            @Schema(description = "things written") long created,

            @Schema(description = "items refused, all of them (errors lists the first ones)")
            long failed,

            @Schema(description = "share of the body read, to 0.1; 100 only once the job succeeded")
            double percent,

            @Schema(
                    description = "items processed per second from the start to the end, or to now while the job "
                            + "has not ended, to 0.01; null before it started")
            Double itemsPerSecond,

            @Schema(
                    description =
                            "seconds left at the pace so far while running: the time taken x (100 - percent)"
                                    + " / percent, rounded; 0 once it ended; null when it is not running or nothing is read yet")
            Long etaSeconds,

            @Schema(
                    description = "the first item errors (strata.ingest.imports.max-reported-errors, 1,000), each "
                            + "with the item's index in the whole file, from 0; left out in lists")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            List<FieldError> errors,

            @Schema(description = "why a failed job stopped, or why a running one waits to retry; else null")
            String error,

            Instant createdAt,

            @Schema(description = "when a worker first took the job; null while it waits")
            Instant startedAt,

            @Schema(description = "when it succeeded or failed; null before")
            Instant finishedAt) {

        /** The job as of {@code now}; {@code errors} null for a list. */
        static ImportView of(ImportJob job, List<FieldError> errors, Instant now) {
            double percent = ImportProgress.percent(job.status(), job.bytesRead(), job.bytes());
            return new ImportView(
                    job.id(),
                    job.groupId(),
                    job.status(),
                    job.format(),
                    job.bytes(),
                    job.processed(),
                    job.created(),
                    job.failed(),
                    percent,
                    ImportProgress.itemsPerSecond(job.processed(), job.startedAt(), job.finishedAt(), now),
                    ImportProgress.etaSeconds(job.status(), percent, job.startedAt(), job.finishedAt(), now),
                    errors,
                    job.error(),
                    job.createdAt(),
                    job.startedAt(),
                    job.finishedAt());
        }
    }

    @GET
    @Path("/{importId}")
    @Operation(summary = "Progress, pace and item errors of an import job")
    @APIResponse(responseCode = "200", description = "the job as it stands")
    @APIResponse(responseCode = "403", description = "forbidden: the job belongs to a group the token does not grant")
    @APIResponse(responseCode = "404", description = "not-found: no import job with this id")
    public Uni<ImportView> get(@RestPath String importId) {
        UUID id = PathIds.uuid(importId, "importId");
        // Read from the token now: the check runs after the database answers.
        boolean everyGroup = access.isPrivileged();
        Set<String> tenants = access.tenants();
        return imports.find(id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No import job " + id + "."))
                .map(job -> {
                    if (!everyGroup && !tenants.contains(job.groupId().toString())) {
                        throw ProblemException.forbidden("This token does not grant access to this import job.");
                    }
                    return ImportView.of(job, errors(job), Instant.now());
                });
    }

    private List<FieldError> errors(ImportJob job) {
        try {
            return mapper.readValue(job.errorsJson(), ERRORS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
