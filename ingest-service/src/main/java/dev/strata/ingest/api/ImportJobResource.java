package dev.strata.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.store.ImportJobStore;
import dev.strata.ingest.store.ImportJobStore.ImportJob;
import dev.strata.support.api.PathIds;
import dev.strata.support.problem.ProblemException;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The progress of an import job, for a tenant of the job's group (or the admin and service roles):
 * {@code {id, groupId, status: queued|running|succeeded|failed, format, bytes, processed, created, failed,
 * percent, errors: [{index, field, error}], error, createdAt, startedAt, finishedAt}}. {@code percent} is the
 * share of the body read (100 once the job succeeded); {@code errors} holds the first
 * {@code strata.ingest.imports.max-reported-errors} item errors, {@code failed} counts them all; {@code error}
 * says why a failed job stopped.
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportJobResource {

    private final ImportJobStore jobs;
    private final Pool pool;
    private final TenantAccess access;
    private final ObjectMapper mapper;

    public ImportJobResource(ImportJobStore jobs, Pool pool, TenantAccess access, ObjectMapper mapper) {
        this.jobs = jobs;
        this.pool = pool;
        this.access = access;
        this.mapper = mapper;
    }

    public record ImportView(UUID id, UUID groupId, String status, String format, long bytes, long processed,
                             long created, long failed, double percent, JsonNode errors, String error,
                             Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    @GET
    @Path("/{importId}")
    @Operation(summary = "Progress and errors of an import job")
    public Uni<ImportView> get(@RestPath String importId) {
        UUID id = PathIds.uuid(importId, "importId");
        // Read from the token now: the check runs after the database answers.
        boolean everyGroup = access.isPrivileged();
        Set<String> tenants = access.tenants();
        return jobs.find(pool, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No import job " + id + "."))
                .map(job -> {
                    if (!everyGroup && !tenants.contains(job.groupId().toString())) {
                        throw ProblemException.forbidden("This token does not grant access to this import job.");
                    }
                    return view(job);
                });
    }

    private ImportView view(ImportJob job) {
        double percent;
        if ("succeeded".equals(job.status())) {
            percent = 100.0;
        } else if (job.bytes() == 0) {
            percent = 0.0;
        } else {
            // bytesRead runs a buffer ahead of the written items: never say 100 before the job is done.
            percent = Math.min(99.9, Math.floor(job.bytesRead() * 1000.0 / job.bytes()) / 10.0);
        }
        try {
            return new ImportView(job.id(), job.groupId(), job.status(), job.format(), job.bytes(), job.processed(),
                    job.created(), job.failed(), percent, mapper.readTree(job.errorsJson()), job.error(),
                    job.createdAt(), job.startedAt(), job.finishedAt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
