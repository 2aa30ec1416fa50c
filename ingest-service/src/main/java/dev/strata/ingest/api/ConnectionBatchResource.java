package dev.strata.ingest.api;

import dev.strata.ingest.api.BatchDocs.AtomicOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.BatchResult;
import dev.strata.ingest.service.ConnectionBatchService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Bulk creation of connections. Items: {@code {fromThingId, toThingId, relationshipType, metadata?, strength?,
 * validFrom?, validTo?}}. JSON bodies are {@code {"items": [...], "options": {"atomic": bool}}}; NDJSON bodies
 * take {@code ?atomic=true} from the query. The answer has the shape of things batches ({@code created} ids in
 * input order with null where an item failed, {@code failed}, {@code errors}, {@code summary}, {@code batchId},
 * {@code position}); an end that is not a thing of this group, a relationship the ontology does not allow
 * between the two types, and a connection that already exists (stored, or earlier in the batch) are item errors.
 */
// Every operation of the class answers these (an operation's own @APIResponse of a code wins).
@APIResponse(
        responseCode = "200",
        description = BatchDocs.OK,
        content =
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchResult.class)))
@APIResponse(responseCode = "404", description = BatchDocs.NOT_FOUND)
@APIResponse(responseCode = "409", description = BatchDocs.CONFLICT)
@APIResponse(responseCode = "413", description = BatchDocs.TOO_LARGE)
@APIResponse(responseCode = "422", description = BatchDocs.INVALID)
@Path("/groups/{groupId}/connections:batch")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionBatchResource {

    /** JSON and NDJSON are one operation in the OpenAPI document, so both methods say the same. */
    static final String CREATE = "Create 1 to 10,000 connections from JSON or NDJSON; invalid and duplicate items "
            + "are reported by index";

    private final ConnectionBatchService service;
    private final BatchIntake intake;

    public ConnectionBatchResource(ConnectionBatchService service, BatchIntake intake) {
        this.service = service;
        this.intake = intake;
    }

    @Schema(description = "Connections to create: {items, options}, or the items as a bare array", example = """
            {"items": [{"fromThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6",
                        "toThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7", "relationshipType": "following"},
                       {"fromThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6",
                        "toThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f8", "relationshipType": "authored",
                        "metadata": {"role": "lead author"}, "strength": 0.9,
                        "validFrom": "2026-01-01T00:00:00Z"}],
             "options": {"atomic": false}}""")
    record ConnectionBatchRequest(
            @Schema(required = true, maxItems = 10_000) List<NewConnection> items, AtomicOptions options) {}

    @Schema(description = "One connection; at most one per (from, to, relationshipType)")
    record NewConnection(
            @Schema(required = true, description = "a thing of this group")
            UUID fromThingId,

            @Schema(required = true, description = "another thing of this group")
            UUID toThingId,

            @Schema(
                    required = true,
                    description = "a connection type of the ontology that allows the two thing "
                            + "types (following: people to people, authored: people to content, ...)")
            String relationshipType,

            @Schema(description = "free-form JSON object") Map<String, Object> metadata,
            @Schema(minimum = "0", maximum = "1") Double strength,
            Instant validFrom,
            @Schema(description = "not before validFrom") Instant validTo) {}

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = CREATE)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ConnectionBatchRequest.class)))
    public Uni<Response> createJson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            InputStream body) {
        return intake.json(
                groupId,
                idempotencyKey,
                atomic,
                null,
                body,
                BatchParser.ATOMIC_ONLY,
                service.validator(),
                service::create);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = CREATE)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = BatchParser.NDJSON,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            description = "one connection object per line, as the items "
                                                    + "of the JSON body"),
                            examples = @ExampleObject(name = "two connections", ref = "connections-ndjson")))
    public Uni<Response> createNdjson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, null, body, service.validator(), service::create);
    }
}
