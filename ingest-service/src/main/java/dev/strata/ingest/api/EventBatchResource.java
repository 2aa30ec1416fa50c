package dev.strata.ingest.api;

import dev.strata.ingest.api.BatchDocs.AtomicOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.EventBatchService;
import dev.strata.ingest.service.EventBatchService.EventBatchResult;
import dev.strata.support.security.TenantAccess;
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
 * Records events. Items: {@code {id?, type, actorId, targetId?, timestamp?, metadata?}}; {@code type} is an
 * event type of the ontology other than those Strata writes itself, {@code actorId} and {@code targetId} are things
 * of the group, {@code timestamp} (RFC 3339, default now) may be any past time but at most the configured clock
 * skew (5 minutes) ahead. {@code revenue_generated} needs {@code metadata.amount} (a number >= 0) and
 * {@code metadata.currency} (three capital letters); {@code content_event} needs {@code metadata.action}.
 *
 * <p>A client {@code id} makes the event idempotent. The answer is that of things batches plus
 * {@code duplicates}:
 * <pre>
 * {"created": [id | null, ...],      // in input order; a duplicate's entry is its (already stored) id
 *  "duplicates": [index, ...],        // items already logged by this group: success, nothing written again
 *  "failed": n, "errors": [{index, field, error}],
 *  "summary": {total, success, failed, successRate},   // success counts new events and duplicates
 *  "batchId": id | null, "position": id | null}        // null when nothing new was written
 * </pre>
 * An id that another group (or another type of event) already uses is the error {@code "id already used"} on
 * field {@code id}, which says nothing about who holds it.
 */
// Every operation of the class answers these (an operation's own @APIResponse of a code wins).
@APIResponse(
        responseCode = "200",
        description = BatchDocs.OK,
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = EventBatchResult.class)))
@APIResponse(responseCode = "404", description = BatchDocs.NOT_FOUND)
@APIResponse(responseCode = "409", description = BatchDocs.CONFLICT_WITHOUT_QUOTA)
@APIResponse(responseCode = "413", description = BatchDocs.TOO_LARGE)
@APIResponse(responseCode = "422", description = BatchDocs.INVALID)
@Path("/groups/{groupId}/events:batch")
@Produces(MediaType.APPLICATION_JSON)
public class EventBatchResource {

    /** JSON and NDJSON are one operation in the OpenAPI document, so both methods say the same. */
    static final String RECORD = "Log 1 to 10,000 events from JSON or NDJSON; idempotent by client-supplied id";

    private final EventBatchService service;
    private final BatchIntake intake;
    private final TenantAccess access;

    public EventBatchResource(EventBatchService service, BatchIntake intake, TenantAccess access) {
        this.service = service;
        this.intake = intake;
        this.access = access;
    }

    @Schema(description = "Events to log: {items, options}, or the items as a bare array", example = """
            {"items": [{"id": "5f0c2a9e-1b7d-4c3e-8a6f-2d9b4e7c1a30", "type": "revenue_generated",
                        "actorId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", "timestamp": "2026-12-01T09:30:00Z",
                        "metadata": {"amount": 49.00, "currency": "EUR"}},
                       {"type": "content_event", "actorId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7",
                        "targetId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f8", "metadata": {"action": "liked"}}],
             "options": {"atomic": false}}""")
    record EventBatchRequest(
            @Schema(required = true, maxItems = 10_000) List<NewEvent> items, AtomicOptions options) {}

    @Schema(description = "One event of the group")
    record NewEvent(
            @Schema(description = "the client's id, which makes the event idempotent; default a new one")
            UUID id,

            @Schema(
                    required = true,
                    description = "an event type of the ontology other than those Strata writes "
                            + "itself (revenue_generated, content_event, user_login, payment_event, ...); api_call from "
                            + "services only")
            String type,

            @Schema(required = true, description = "a thing of this group")
            UUID actorId,

            @Schema(description = "a thing of this group") UUID targetId,

            @Schema(description = "RFC 3339 with an offset, years 0001-9999, at most 5 minutes ahead; default now")
            Instant timestamp,

            @Schema(
                    description = "free-form JSON object; revenue_generated needs amount (0 to 10^12, at most 8 "
                            + "decimals) and currency (three capital letters), content_event needs action")
            Map<String, Object> metadata) {}

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = RECORD)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = EventBatchRequest.class)))
    public Uni<Response> recordJson(
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
                service.validator(access.isService()),
                service::record);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = RECORD)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = BatchParser.NDJSON,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            description =
                                                    "one event object per line, as the items of " + "the JSON body"),
                            examples = @ExampleObject(name = "two events", ref = "events-ndjson")))
    public Uni<Response> recordNdjson(
            @RestPath String groupId,
            @RestHeader("Idempotency-Key") String idempotencyKey,
            @RestQuery String atomic,
            InputStream body) {
        return intake.ndjson(
                groupId, idempotencyKey, atomic, null, body, service.validator(access.isService()), service::record);
    }
}
