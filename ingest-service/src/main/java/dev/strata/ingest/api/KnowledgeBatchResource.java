package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.KnowledgeBatchService;
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
 * Bulk creation of knowledge. Items: {@code {sourceThingId, kind: label|chunk, text, embedding?: [numbers]}}. The
 * answer has the shape of things batches; each stored item gets one {@code knowledge_created} event.
 */
@Path("/groups/{groupId}/knowledge:batch")
@Produces(MediaType.APPLICATION_JSON)
public class KnowledgeBatchResource {

    private final KnowledgeBatchService service;
    private final BatchIntake intake;

    public KnowledgeBatchResource(KnowledgeBatchService service, BatchIntake intake) {
        this.service = service;
        this.intake = intake;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store 1 to 10,000 labels or text chunks with optional embeddings")
    public Uni<Response> createJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery String atomic, InputStream body) {
        return intake.json(groupId, idempotencyKey, atomic, null, body, BatchParser.ATOMIC_ONLY, service.validator(),
                service::create);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Store knowledge from NDJSON, one item per line")
    public Uni<Response> createNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery String atomic, InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, null, body, service.validator(), service::create);
    }

}
