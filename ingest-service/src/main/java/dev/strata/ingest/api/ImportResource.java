package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ImportService;
import dev.strata.ingest.service.ImportService.Submitted;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.io.InputStream;
import java.net.URI;
import java.util.UUID;

/**
 * Import jobs, for more things than one batch takes (100K to millions). {@code POST /groups/{g}/imports} takes an
 * NDJSON or CSV body of things (as {@code things:batch} does; {@code ?defaultStatus=} applies, {@code atomic} does
 * not: each chunk commits on its own), streams it to a spool file and answers 202 with
 * {@code {id, status, location}} and a {@code Location} of {@code /imports/{id}}. {@code GET /imports/{id}}
 * reports the progress: {@code {id, groupId, status: queued|running|succeeded|failed, format, bytes, processed,
 * created, failed, percent, errors: [{index, field, error}], error, createdAt, startedAt, finishedAt}}, where an
 * error's {@code index} is the item's place in the whole file (from 0: NDJSON non-blank lines, CSV data rows) and
 * {@code error} says why a failed job stopped (see {@link ImportJobResource}).
 *
 * <p>With an {@code Idempotency-Key}, an upload repeated with the same key (after a timeout or a lost answer) is
 * answered 202 with the first upload's job, its current status and {@code Idempotent-Replayed: true}, and imports
 * nothing again; the same key with another body, format or default status answers 409. Keys are per group and kept
 * as long as the job.
 */
@Path("/groups/{groupId}/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    private final ImportService imports;
    private final BatchParser parser;
    private final TenantAccess access;

    public ImportResource(ImportService imports, BatchParser parser, TenantAccess access) {
        this.imports = imports;
        this.parser = parser;
        this.access = access;
    }

    public record Accepted(UUID id, String status, String location) {
    }

    @POST
    @Consumes(BatchParser.NDJSON)
    @Blocking
    @Operation(summary = "Import things from NDJSON (one per line) as a job; answers 202 with the job's location")
    public Response importNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                 @RestQuery String atomic, @RestQuery String defaultStatus, InputStream body) {
        return submit(groupId, idempotencyKey, "ndjson", atomic, defaultStatus, body);
    }

    @POST
    @Consumes({BatchParser.CSV, "application/csv"})
    @Blocking
    @Operation(summary = "Import things from CSV (type,name,status,properties.<key>) as a job; answers 202")
    public Response importCsv(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                              @RestQuery String atomic, @RestQuery String defaultStatus, InputStream body) {
        return submit(groupId, idempotencyKey, "csv", atomic, defaultStatus, body);
    }

    private Response submit(String groupId, String idempotencyKey, String format, String atomic,
                            String defaultStatus, InputStream body) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        BatchIntake.checkKey(idempotencyKey);
        BatchOptions options = parser.queryOptions(atomic, defaultStatus);
        Submitted job = imports.submit(group, format, options, body, idempotencyKey);
        String location = "/imports/" + job.id();
        Response.ResponseBuilder response = Response.accepted(new Accepted(job.id(), job.status(), location))
                .location(URI.create(location));
        if (job.replayed()) {
            response.header(BatchResponses.REPLAYED, "true");
        }
        return response.build();
    }
}
