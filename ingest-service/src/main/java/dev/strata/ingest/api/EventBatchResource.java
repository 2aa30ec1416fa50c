package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.EventBatchService;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
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
import io.smallrye.common.annotation.Blocking;

import java.io.InputStream;


/**
 * Logs activity events. Items: {@code {id?, type, actorId, targetId?, timestamp?, metadata?}}; {@code type} is an
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
@Path("/groups/{groupId}/events:batch")
@Produces(MediaType.APPLICATION_JSON)
public class EventBatchResource {

    private final EventBatchService service;
    private final BatchIntake intake;
    private final TenantAccess access;

    public EventBatchResource(EventBatchService service, BatchIntake intake, TenantAccess access) {
        this.service = service;
        this.intake = intake;
        this.access = access;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log 1 to 10,000 events; idempotent by client-supplied id")
    public Uni<Response> recordJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery String atomic, InputStream body) {
        return intake.json(groupId, idempotencyKey, atomic, null, body, BatchParser.ATOMIC_ONLY, service.validator(access.isService()),
                service::record);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Log events from NDJSON, one event per line")
    public Uni<Response> recordNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery String atomic, InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, null, body, service.validator(access.isService()), service::record);
    }

}
