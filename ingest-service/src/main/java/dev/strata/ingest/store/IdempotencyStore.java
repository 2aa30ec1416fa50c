package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * First answers to requests that carried an {@code Idempotency-Key}, per group. Every stored answer is a batch's
 * 200: the table's {@code status} column is written as 200 and not read (the resource decides the status).
 */
@ApplicationScoped
public class IdempotencyStore {

    public record StoredAnswer(String requestHash, String response) {}

    public Uni<StoredAnswer> find(SqlClient client, UUID groupId, String key) {
        return client.preparedQuery(
                        "SELECT request_hash, response FROM idempotency_keys" + " WHERE group_id = $1 AND key = $2")
                .execute(Tuple.of(groupId, key))
                .map(IdempotencyStore::first);
    }

    /** Fails with a unique violation if a concurrent request with the same key committed first. */
    public Uni<Void> save(SqlClient tx, UUID groupId, String key, StoredAnswer answer) {
        return tx.preparedQuery("INSERT INTO idempotency_keys (group_id, key, request_hash, status, response)"
                        + " VALUES ($1, $2, $3, 200, $4)")
                .execute(Tuple.of(groupId, key, answer.requestHash(), answer.response()))
                .replaceWithVoid();
    }

    private static StoredAnswer first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new StoredAnswer(row.getString(0), row.getString(1));
    }
}
