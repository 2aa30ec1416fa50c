package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ConnectionBatchService;
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
 * Bulk creation of connections. Items: {@code {fromThingId, toThingId, relationshipType, metadata?, strength?,
 * validFrom?, validTo?}}. JSON bodies are {@code {"items": [...], "options": {"atomic": bool}}}; NDJSON bodies
 * take {@code ?atomic=true} from the query. The answer has the shape of things batches ({@code created} ids in
 * input order with null where an item failed, {@code failed}, {@code errors}, {@code summary}, {@code batchId},
 * {@code position}); an end that is not a thing of this group, a relationship the ontology does not allow
 * between the two types, and a connection that already exists (stored, or earlier in the batch) are item errors.
 */
@Path("/groups/{groupId}/connections:batch")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionBatchResource {

    private final ConnectionBatchService service;
    private final BatchIntake intake;

    public ConnectionBatchResource(ConnectionBatchService service, BatchIntake intake) {
        this.service = service;
        this.intake = intake;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create 1 to 10,000 connections; invalid and duplicate items are reported per index")
    public Uni<Response> createJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery String atomic, InputStream body) {
        return intake.json(groupId, idempotencyKey, atomic, null, body, BatchParser.ATOMIC_ONLY, service.validator(),
                service::create);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Create connections from NDJSON, one connection per line")
    public Uni<Response> createNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery String atomic, InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, null, body, service.validator(), service::create);
    }

}
