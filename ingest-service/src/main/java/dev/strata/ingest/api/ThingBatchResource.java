package dev.strata.ingest.api;

import dev.strata.ingest.api.BatchDocs.AtomicOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.BatchResult;
import dev.strata.ingest.service.ThingBatchService;
import dev.strata.ingest.service.ThingUpdateService;
import dev.strata.ingest.service.ThingUpdateService.UpdateResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
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
 * Bulk creation and update of things. JSON bodies are {@code {"items": [...], "options": {...}}}; NDJSON and CSV
 * bodies take their options from the query ({@code ?atomic=true&defaultStatus=active}).
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
@Path("/groups/{groupId}/things:batch")
@Produces(MediaType.APPLICATION_JSON)
public class ThingBatchResource {

    /** The three formats are one operation in the OpenAPI document, so each of their methods says the same. */
    static final String CREATE =
            "Create 1 to 10,000 things from JSON, NDJSON or CSV; invalid items are reported by " + "index and field";

    static final String CSV_EXAMPLE = """
            type,name,status,properties.handle,properties.followers
            creator,Ada Lovelace,active,@ada,1200
            blog_post,Notes on the Analytical Engine,published,,
            """;

    private final ThingBatchService creator;
    private final ThingUpdateService updater;
    private final BatchIntake intake;

    public ThingBatchResource(ThingBatchService creator, ThingUpdateService updater, BatchIntake intake) {
        this.creator = creator;
        this.updater = updater;
        this.intake = intake;
    }

    @Schema(description = "Things to create: {items, options}, or the items as a bare array", example = """
            {"items": [{"type": "creator", "name": "Ada Lovelace", "properties": {"handle": "@ada"}},
                       {"type": "blog_post", "name": "Notes on the Analytical Engine", "status": "published"}],
             "options": {"atomic": false, "defaultStatus": "active"}}""")
    record ThingBatchRequest(
            @Schema(required = true, maxItems = 10_000) List<NewThing> items, ThingBatchOptions options) {}

    @Schema(description = "One thing to create")
    record NewThing(
            @Schema(required = true, description = "a thing type of the ontology (user, creator, blog_post, ...)")
            String type,

            @Schema(required = true, maxLength = 256, description = "non-blank")
            String name,

            @Schema(description = "free-form JSON object, at most 64 KiB serialized; numbers kept exactly as sent")
            Map<String, Object> properties,

            @Schema(
                    enumeration = {"draft", "active", "published", "archived"},
                    description = "default: options.defaultStatus, else draft")
            String status) {}

    @Schema(description = "Options of a things batch; NDJSON and CSV bodies take them from the query")
    record ThingBatchOptions(
            @Schema(description = "true: one invalid item rejects the whole batch (422) and nothing is written")
            Boolean atomic,

            @Schema(
                    enumeration = {"draft", "active", "published", "archived"},
                    description = "the status of items that give none (default draft)")
            String defaultStatus) {}

    @Schema(description = "Changes to things: {items, options}, or the items as a bare array", example = """
            {"items": [{"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "status": "published"},
                       {"id": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7", "name": "Ada King",
                        "properties": {"handle": "@ada", "followers": 1300}}],
             "options": {"atomic": true}}""")
    record ThingUpdateRequest(
            @Schema(required = true, maxItems = 10_000) List<ThingChange> items, AtomicOptions options) {}

    @Schema(description = "One change: the fields given replace the stored ones (properties as a whole)")
    record ThingChange(
            @Schema(required = true, description = "a thing of this group")
            UUID id,

            @Schema(maxLength = 256) String name,

            @Schema(description = "the new properties object, replacing the old one")
            Map<String, Object> properties,

            @Schema(enumeration = {"draft", "active", "published", "archived"})
            String status) {}

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = CREATE)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ThingBatchRequest.class)))
    public Uni<Response> createJson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            @RestQuery String defaultStatus,
            InputStream body) {
        return intake.json(
                groupId,
                idempotencyKey,
                atomic,
                defaultStatus,
                body,
                BatchParser.THING_OPTIONS,
                creator.validator(),
                creator::create);
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
                                            description =
                                                    "one thing object per line, as the items of " + "the JSON body"),
                            examples = @ExampleObject(name = "two things", ref = "things-ndjson")))
    public Uni<Response> createNdjson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            @RestQuery String defaultStatus,
            InputStream body) {
        return intake.ndjson(
                groupId, idempotencyKey, atomic, defaultStatus, body, creator.validator(), creator::create);
    }

    @POST
    @Blocking
    @Consumes({BatchParser.CSV, "application/csv"})
    @Operation(summary = CREATE)
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
                        examples = @ExampleObject(name = "two things", value = CSV_EXAMPLE)),
                @Content(
                        mediaType = "application/csv",
                        schema = @Schema(type = SchemaType.STRING, description = "as text/csv"),
                        examples = @ExampleObject(name = "two things", value = CSV_EXAMPLE))
            })
    public Uni<Response> createCsv(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            @RestQuery String defaultStatus,
            InputStream body) {
        return intake.csv(groupId, idempotencyKey, atomic, defaultStatus, body, creator.validator(), creator::create);
    }

    @PATCH
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update names, properties and statuses; one thing_updated event per changed thing")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ThingUpdateRequest.class)))
    @APIResponse(
            responseCode = "200",
            description = "the updates as applied: ids in input order (null where an "
                    + "item failed), how many changed, the item errors; replayed for a repeated Idempotency-Key",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = UpdateResult.class)))
    public Uni<Response> update(
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
                updater.validator(),
                updater::update);
    }
}
