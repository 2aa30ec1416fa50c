package dev.strata.ingest.service;

import dev.strata.ingest.store.EventStore;
import dev.strata.ingest.store.EventStore.EventRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Reads of a group's events, the hot part of table {@code events} (writes: {@link EventBatchService}). */
@ApplicationScoped
public class EventService {

    private final Pool pool;
    private final EventStore eventStore;

    public EventService(Pool pool, EventStore eventStore) {
        this.pool = pool;
        this.eventStore = eventStore;
    }

    /** Up to {@code limit} events newest first, before the cursor {@code (beforeTime, beforeId)} (null: newest). */
    public Uni<List<EventRow>> page(UUID groupId, String type, Instant beforeTime, UUID beforeId, int limit) {
        return eventStore.page(pool, groupId, type, beforeTime, beforeId, limit);
    }
}
