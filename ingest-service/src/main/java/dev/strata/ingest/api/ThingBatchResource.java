package dev.strata.ingest.api;

import dev.strata.ingest.service.BatchParser;
import dev.strata.ingest.service.ThingBatchService;
import dev.strata.ingest.service.ThingUpdateService;
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
import io.smallrye.common.annotation.Blocking;

import java.io.InputStream;


/**
 * Bulk creation and update of things. JSON bodies are {@code {"items": [...], "options": {...}}}; NDJSON and CSV
 * bodies take their options from the query ({@code ?atomic=true&defaultStatus=active}).
 */
@Path("/groups/{groupId}/things:batch")
@Produces(MediaType.APPLICATION_JSON)
public class ThingBatchResource {

    private final ThingBatchService creator;
    private final ThingUpdateService updater;
    private final BatchIntake intake;

    public ThingBatchResource(ThingBatchService creator, ThingUpdateService updater, BatchIntake intake) {
        this.creator = creator;
        this.updater = updater;
        this.intake = intake;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create 1 to 10,000 things; invalid items are reported per index and field")
    public Uni<Response> createJson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                    @RestQuery String atomic, @RestQuery String defaultStatus, InputStream body) {
        return intake.json(groupId, idempotencyKey, atomic, defaultStatus, body, BatchParser.THING_OPTIONS,
                creator.validator(), creator::create);
    }

    @POST
    @Blocking
    @Consumes(BatchParser.NDJSON)
    @Operation(summary = "Create things from NDJSON, one thing per line")
    public Uni<Response> createNdjson(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                      @RestQuery String atomic, @RestQuery String defaultStatus, InputStream body) {
        return intake.ndjson(groupId, idempotencyKey, atomic, defaultStatus, body, creator.validator(),
                creator::create);
    }

    @POST
    @Blocking
    @Consumes({BatchParser.CSV, "application/csv"})
    @Operation(summary = "Create things from CSV with the columns type,name,status,properties.<key>")
    public Uni<Response> createCsv(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                   @RestQuery String atomic, @RestQuery String defaultStatus, InputStream body) {
        return intake.csv(groupId, idempotencyKey, atomic, defaultStatus, body, creator.validator(),
                creator::create);
    }

    @PATCH
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update names, properties and statuses; one thing_updated event per changed thing")
    public Uni<Response> update(@RestPath String groupId, @RestHeader("Idempotency-Key") String idempotencyKey,
                                @RestQuery String atomic, InputStream body) {
        return intake.json(groupId, idempotencyKey, atomic, null, body, BatchParser.ATOMIC_ONLY, updater.validator(),
                updater::update);
    }
}
