package dev.strata.ingest.service;

import dev.strata.ingest.store.BatchOutcomeStore;
import dev.strata.ingest.store.BatchOutcomeStore.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Answers quota-service about a reservation its writer never confirmed: did the write with this batch id commit?
 * The answer is final ({@link BatchOutcomeStore#resolve}).
 */
@ApplicationScoped
public class BatchOutcomeService {

    private final Pool pool;
    private final BatchOutcomeStore outcomes;

    public BatchOutcomeService(Pool pool, BatchOutcomeStore outcomes) {
        this.pool = pool;
        this.outcomes = outcomes;
    }

    public Uni<Outcome> resolve(UUID groupId, UUID batchId) {
        // Two statements on one connection: the SELECT's snapshot is taken after the INSERT waited for the write.
        return pool.withConnection(connection -> outcomes.resolve(connection, groupId, batchId));
    }
}
