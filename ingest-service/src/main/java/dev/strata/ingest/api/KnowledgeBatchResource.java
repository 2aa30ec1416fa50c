package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchLimits;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.KnowledgeBatchService;
import dev.strata.ingest.service.ParsedBatch;
import dev.strata.support.api.PathIds;
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

import java.util.UUID;

/**
 * Bulk creation of knowledge. Items: {@code {sourceThingId, kind: label|chunk, text, embedding?: [numbers]}}. The
 * answer has the shape of things batches; each stored item gets one {@code knowledge_created} event.
 */
@Path("/groups/{groupId}/knowledge:batch")
@Produces(MediaType.APPLICATION_JSON)
public class KnowledgeBatchResource {

    private final KnowledgeBatchService service;
    private final BatchParser parser;
    private final BatchLimits limits;
    private final TenantAccess access;

    public KnowledgeBatchResource(KnowledgeBatchService service, BatchParser parser, BatchLimits limits,
                                  TenantAccess access) {
        this.service = service;
        this.parser = parser;
        this.limits = limits;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store 1 to 10,000 labels or text chunks with optional embeddings")
    public Uni<Response> createJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery Boolean atomic, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.json(body, parser.queryOptions(atomic, null), BatchParser.ATOMIC_ONLY);
        return service.create(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    @POST
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Store knowledge from NDJSON, one item per line")
    public Uni<Response> createNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery Boolean atomic, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.ndjson(body, parser.queryOptions(atomic, null));
        return service.create(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    private UUID authorize(String groupId, byte[] body) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        limits.checkBodySize(body == null ? 0 : body.length);
        return group;
    }
}
