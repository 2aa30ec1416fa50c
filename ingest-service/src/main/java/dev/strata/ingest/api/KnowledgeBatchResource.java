package dev.strata.ingest.api;

import dev.strata.ingest.api.BatchDocs.AtomicOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.BatchResult;
import dev.strata.ingest.service.KnowledgeBatchService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
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
 * Bulk creation of knowledge. Items: {@code {sourceThingId, kind: label|chunk, text, embedding?: [numbers]}}. The
 * answer has the shape of things batches; each stored item gets one {@code knowledge_created} event.
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
@Path("/groups/{groupId}/knowledge:batch")
@Produces(MediaType.APPLICATION_JSON)
public class KnowledgeBatchResource {

    /** JSON and NDJSON are one operation in the OpenAPI document, so both methods say the same. */
    static final String CREATE =
            "Store 1 to 10,000 labels or text chunks, with optional embeddings, from JSON or " + "NDJSON";

    private final KnowledgeBatchService service;
    private final BatchIntake intake;

    public KnowledgeBatchResource(KnowledgeBatchService service, BatchIntake intake) {
        this.service = service;
        this.intake = intake;
    }

    @Schema(description = "Knowledge to store: {items, options}, or the items as a bare array", example = """
            {"items": [{"sourceThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f8", "kind": "label",
                        "text": "analytical engine"},
                       {"sourceThingId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f8", "kind": "chunk",
                        "text": "The Analytical Engine weaves algebraic patterns.",
                        "embedding": [0.12, -0.03, 0.88]}],
             "options": {"atomic": true}}""")
    record KnowledgeBatchRequest(
            @Schema(required = true, maxItems = 10_000) List<NewKnowledge> items, AtomicOptions options) {}

    @Schema(
            description = "One label or chunk of text about a thing; storage counts its text bytes (UTF-8) plus 4 "
                    + "per embedding dimension")
    record NewKnowledge(
            @Schema(required = true, description = "a thing of this group")
            UUID sourceThingId,

            @Schema(
                    required = true,
                    enumeration = {"label", "chunk"})
            String kind,

            @Schema(required = true, description = "non-blank")
            String text,

            @Schema(description = "numbers that fit a 32-bit float")
            List<Double> embedding) {}

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = CREATE)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = KnowledgeBatchRequest.class)))
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
                                            description = "one knowledge object per line, as the items "
                                                    + "of the JSON body"),
                            examples = @ExampleObject(name = "a label and a chunk", ref = "knowledge-ndjson")))
    public Uni<Response> createNdjson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, null, body, service.validator(), service::create);
    }
}
