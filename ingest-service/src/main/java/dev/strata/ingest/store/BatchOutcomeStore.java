package dev.strata.ingest.store;

import dev.strata.support.problem.DatabaseProblems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Whether a write that reserved quota committed (table {@code batch_outcomes}, migration V7). The write records
 * its batch id in its own transaction; {@link #resolve} answers for a batch id and, when the write has not
 * committed, fences it so that it never can. The primary key is the fence: of the write's insert and the fence's,
 * whichever comes second waits for the first and loses.
 */
@ApplicationScoped
public class BatchOutcomeStore {

    public enum Outcome {
        COMMITTED,
        ABANDONED
    }

    /** In the write's transaction: commits with it, or fails it if the batch id was abandoned already. */
    public Uni<Void> recordCommitted(SqlClient tx, UUID groupId, UUID batchId) {
        return tx.preparedQuery("INSERT INTO batch_outcomes (batch_id, group_id, outcome) VALUES ($1, $2, 'committed')")
                .execute(Tuple.of(batchId, groupId))
                .replaceWithVoid();
    }

    /**
     * The outcome of the write with this batch id, final: committed, or abandoned (recorded now if nothing was,
     * so the write can no longer commit). Waits for a write of this batch id that is still in flight. A batch id
     * recorded for another group is abandoned as far as this group is concerned. Both statements must run on one
     * connection, outside a transaction.
     */
    public Uni<Outcome> resolve(SqlConnection connection, UUID groupId, UUID batchId) {
        // Two statements, in this order on the caller's connection: the SELECT's snapshot is taken after the INSERT
        // waited for the write.
        return connection
                .preparedQuery("""
                                INSERT INTO batch_outcomes (batch_id, group_id, outcome) VALUES ($1, $2, 'abandoned')
                                ON CONFLICT (batch_id) DO NOTHING""")
                .execute(Tuple.of(batchId, groupId))
                .chain(inserted -> inserted.rowCount() > 0
                        ? Uni.createFrom().item(Outcome.ABANDONED)
                        : connection
                                .preparedQuery("SELECT group_id, outcome FROM batch_outcomes WHERE batch_id = $1")
                                .execute(Tuple.of(batchId))
                                .map(rows -> {
                                    RowIterator<Row> it = rows.iterator();
                                    Row row = it.next();
                                    return row.getUUID(0).equals(groupId)
                                                    && row.getString(1).equals("committed")
                                            ? Outcome.COMMITTED
                                            : Outcome.ABANDONED;
                                }));
    }

    /** The failure of a write whose batch id had been abandoned before it could record itself. */
    public static boolean isFenced(Throwable failure) {
        return DatabaseProblems.violates(failure, "batch_outcomes_pkey");
    }
}
