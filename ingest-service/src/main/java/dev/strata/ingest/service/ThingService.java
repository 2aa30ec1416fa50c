package dev.strata.ingest.service;

import dev.strata.ingest.store.ThingStore;
import dev.strata.ingest.store.ThingStore.ThingRow;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads of a group's things (writes: {@link ThingBatchService}, {@link ThingUpdateService}). */
@ApplicationScoped
public class ThingService {

    private final Pool pool;
    private final ThingStore things;

    public ThingService(Pool pool, ThingStore things) {
        this.pool = pool;
        this.things = things;
    }

    public Uni<ThingRow> find(UUID groupId, UUID id) {
        return things.find(pool, groupId, id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No thing " + id + " in this group."));
    }

    /** Up to {@code limit} things in creation order after {@code after} (null: from the first). */
    public Uni<List<ThingRow>> page(UUID groupId, String type, String status, UUID after, int limit) {
        return things.page(pool, groupId, type, status, after, limit);
    }
}
