package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchLimits;
import dev.strata.ingest.service.BatchOptions;
import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ParsedBatch;
import dev.strata.ingest.service.ThingBatchService;
import dev.strata.ingest.service.ThingUpdateService;
import dev.strata.support.api.PathIds;
import dev.strata.support.security.TenantAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
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
 * Bulk creation and update of things. JSON bodies are {@code {"items": [...], "options": {...}}}; NDJSON and CSV
 * bodies take their options from the query ({@code ?atomic=true&defaultStatus=active}).
 */
@Path("/groups/{groupId}/things:batch")
@Produces(MediaType.APPLICATION_JSON)
public class ThingBatchResource {

    private final ThingBatchService creator;
    private final ThingUpdateService updater;
    private final BatchParser parser;
    private final BatchLimits limits;
    private final TenantAccess access;

    public ThingBatchResource(ThingBatchService creator, ThingUpdateService updater, BatchParser parser,
                              BatchLimits limits, TenantAccess access) {
        this.creator = creator;
        this.updater = updater;
        this.parser = parser;
        this.limits = limits;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create 1 to 10,000 things; invalid items are reported per index and field")
    public Uni<Response> createJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery Boolean atomic, @RestQuery String defaultStatus, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.json(body, queryOptions(atomic, defaultStatus));
        return creator.create(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    @POST
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Create things from NDJSON, one thing per line")
    public Uni<Response> createNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery Boolean atomic, @RestQuery String defaultStatus, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.ndjson(body, queryOptions(atomic, defaultStatus));
        return creator.create(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    @POST
    @Consumes({BatchParser.CSV, "application/csv"})
    @Operation(summary = "Create things from CSV with the columns type,name,status,properties.<key>")
    public Uni<Response> createCsv(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                   @RestQuery Boolean atomic, @RestQuery String defaultStatus, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.csv(body, queryOptions(atomic, defaultStatus));
        return creator.create(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update names, properties and statuses; one thing_updated event per changed thing")
    public Uni<Response> update(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                @RestQuery Boolean atomic, byte[] body) {
        UUID group = authorize(groupId, body);
        ParsedBatch batch = parser.json(body, queryOptions(atomic, null));
        return updater.update(group, batch, idempotencyKey, body).map(BatchResponses::of);
    }

    private UUID authorize(String groupId, byte[] body) {
        UUID group = PathIds.uuid(groupId, "groupId");
        access.require(group);
        limits.checkBodySize(body == null ? 0 : body.length);
        return group;
    }

    private BatchOptions queryOptions(Boolean atomic, String defaultStatus) {
        return parser.queryOptions(atomic, defaultStatus);
    }
}
