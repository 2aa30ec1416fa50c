package dev.strata.ingest.service;

import dev.strata.ingest.store.ConnectionStore;
import dev.strata.ingest.store.ConnectionStore.ConnectionRow;
import dev.strata.ingest.store.ConnectionStore.Direction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads of a group's connections (writes: {@link ConnectionBatchService}). */
@ApplicationScoped
public class ConnectionService {

    private final Pool pool;
    private final ConnectionStore connections;

    public ConnectionService(Pool pool, ConnectionStore connections) {
        this.pool = pool;
        this.connections = connections;
    }

    /**
     * Up to {@code limit} connections in creation order after {@code after}; with {@code thingId}, those of that
     * thing at the given ends; with {@code type}, of that relationship type only.
     */
    public Uni<List<ConnectionRow>> page(
            UUID groupId, UUID thingId, Direction direction, String type, UUID after, int limit) {
        return connections.page(pool, groupId, thingId, direction, type, after, limit);
    }
}
