package dev.strata.ingest.api;

import dev.strata.ingest.api.ImportJobResource.ImportView;
import dev.strata.ingest.service.BatchOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ImportService;
import dev.strata.ingest.service.ImportService.Submitted;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Import jobs, for more things than one batch takes (100K to millions). {@code POST /groups/{g}/imports} takes an
 * NDJSON or CSV body of things (as {@code things:batch} does; {@code ?defaultStatus=} applies, {@code atomic} does
 * not: each chunk commits on its own), streams it to a spool file and answers 202 with
 * {@code {id, status, location}} and a {@code Location} of {@code /imports/{id}}. {@code GET /imports/{id}}
 * reports the progress: {@code {id, groupId, status: queued|running|succeeded|failed, format, bytes, processed,
 * created, failed, percent, itemsPerSecond, etaSeconds, errors: [{index, field, error}], error, createdAt,
 * startedAt, finishedAt}}, where an
 * error's {@code index} is the item's place in the whole file (from 0: NDJSON non-blank lines, CSV data rows) and
 * {@code error} says why a failed job stopped (see {@link ImportJobResource}).
 *
 * <p>With an {@code Idempotency-Key}, an upload repeated with the same key (after a timeout or a lost answer) is
 * answered 202 with the first upload's job, its current status and {@code Idempotent-Replayed: true}, and imports
 * nothing again; the same key with another body, format or default status answers 409. Keys are per group and kept
 * as long as the job.
 *
 * <p>{@code GET /groups/{g}/imports?limit=} lists the group's newest jobs (default 20, at most 100), newest first, as
 * {@code GET /imports/{id}} shows them but without their item errors, for a console's progress bars.
 */
@Path("/groups/{groupId}/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    static final int DEFAULT_LIST = 20;
    static final int MAX_LIST = 100;

    private final ImportService imports;
    private final BatchParser parser;
    private final TenantAccess access;

    public ImportResource(ImportService imports, BatchParser parser, TenantAccess access) {
        this.imports = imports;
        this.parser = parser;
        this.access = access;
    }

    @Schema(
            description = "An import job queued (or, for a repeated Idempotency-Key, the first upload's job)",
            example = """
                    {"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "status": "queued",
                     "location": "/imports/0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6"}""")
    public record Accepted(
            UUID id,

            @Schema(
                    enumeration = {"queued", "running", "succeeded", "failed"},
                    description = "queued, or the first upload's job's status now")
            String status,

            @Schema(description = "where its progress is read: GET /imports/{id}")
            String location) {}

    @Schema(description = "A group's newest import jobs, newest first, without their item errors", example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "imports": [{"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7",
                          "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "status": "running", "format": "csv",
                          "bytes": 81000000, "processed": 400000, "created": 399998, "failed": 2, "percent": 40.0,
                          "itemsPerSecond": 9523.81, "etaSeconds": 63, "error": null,
                          "createdAt": "2026-12-03T10:00:00Z", "startedAt": "2026-12-03T10:00:01Z",
                          "finishedAt": null},
                         {"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6",
                          "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "status": "succeeded",
                          "format": "ndjson", "bytes": 2400000, "processed": 20000, "created": 19991, "failed": 9,
                          "percent": 100.0, "itemsPerSecond": 8000.0, "etaSeconds": 0, "error": null,
                          "createdAt": "2026-12-02T16:20:00Z", "startedAt": "2026-12-02T16:20:00.500Z",
                          "finishedAt": "2026-12-02T16:20:03Z"}]}""")
    public record ImportList(UUID groupId, List<ImportView> imports) {}

    /** NDJSON and CSV are one operation in the OpenAPI document, so both methods say the same. */
    static final String IMPORT =
            "Import things from an NDJSON or CSV body as a job; answers 202 with the job's " + "location";

    static final String ACCEPTED = "the job, queued (Location: /imports/{id}); for a repeated Idempotency-Key the "
            + "first upload's job as it stands, with Idempotent-Replayed: true";
    static final String NOT_FOUND = "not-found: no such group; nothing spooled";
    static final String CONFLICT =
            "conflict: the Idempotency-Key was already used for a different body, format or " + "defaultStatus";
    static final String TOO_LARGE = "payload-too-large: the body passed strata.ingest.imports.max-body-bytes "
            + "(4 GiB), refused as the bytes arrive (or from the Content-Length); nothing queued";
    static final String INVALID = "validation-failed: a CSV header without the columns type and name, or with a "
            + "control character; nothing queued";

    @POST
    @Consumes(BatchParser.NDJSON)
    @Blocking
    @Operation(summary = IMPORT)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = BatchParser.NDJSON,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            description =
                                                    "one thing object per line (type, name, "
                                                            + "status?, properties?), as things:batch takes them; 100K to millions of lines"),
                            examples = @ExampleObject(name = "two things", ref = "things-ndjson")))
    @APIResponse(
            responseCode = "202",
            description = ACCEPTED,
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = CONFLICT)
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "422", description = INVALID)
    public Response importNdjson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            @RestQuery String defaultStatus,
            InputStream body) {
        return submit(groupId, idempotencyKey, "ndjson", atomic, defaultStatus, body);
    }

    @POST
    @Consumes({BatchParser.CSV, "application/csv"})
    @Blocking
    @Operation(summary = IMPORT)
    @RequestBody(
            required = true,
            content = {
                @Content(
                        mediaType = BatchParser.CSV,
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        description =
                                                "a header of type,name,status,properties.<key>, then one thing per row"),
                        examples = @ExampleObject(name = "two things", value = ThingBatchResource.CSV_EXAMPLE)),
                @Content(
                        mediaType = "application/csv",
                        schema = @Schema(type = SchemaType.STRING, description = "as text/csv"),
                        examples = @ExampleObject(name = "two things", value = ThingBatchResource.CSV_EXAMPLE))
            })
    @APIResponse(
            responseCode = "202",
            description = ACCEPTED,
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    @APIResponse(responseCode = "409", description = CONFLICT)
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "422", description = INVALID)
    public Response importCsv(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            @RestQuery String defaultStatus,
            InputStream body) {
        return submit(groupId, idempotencyKey, "csv", atomic, defaultStatus, body);
    }

    @GET
    @Operation(summary = "List the group's import jobs newest first, with their progress (item errors left out)")
    @APIResponse(
            responseCode = "200",
            description = "the newest jobs, at most limit of them, newest first",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ImportList.class)))
    @APIResponse(responseCode = "404", description = "not-found: no such group")
    public Uni<ImportList> list(
            @RestPath String groupId,
            @Parameter(description = "how many jobs, 1 to 100 (default 20)") @RestQuery String limit) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        int size = (int) PathIds.wholeNumber(limit, "limit", 1, MAX_LIST, DEFAULT_LIST);
        return imports.newest(group, size).map(list -> {
            Instant now = Instant.now();
            return new ImportList(
                    group,
                    list.stream().map(job -> ImportView.of(job, null, now)).toList());
        });
    }

    private Response submit(
            String groupId,
            String idempotencyKey,
            String format,
            String atomic,
            String defaultStatus,
            InputStream body) {
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
