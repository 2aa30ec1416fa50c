package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The counts quota-service reconciles its counters against, read in one statement so they come from one snapshot
 * (a batch committing meanwhile is counted whole or not at all).
 */
@ApplicationScoped
public class InventoryStore {

    public record Inventory(
            long things, long peopleLike, long connections, long knowledge, long storageBytes, long events) {}

    /** @param personTypes the thing types the ontology calls person-like */
    public Uni<Inventory> count(SqlClient client, UUID groupId, String[] personTypes) {
        return client.preparedQuery("""
                        SELECT t.things, t.people, t.property_bytes,
                               (SELECT count(*) FROM connections WHERE group_id = $1),
                               k.knowledge, k.knowledge_bytes,
                               (SELECT count(*) FROM events WHERE group_id = $1)
                        FROM (SELECT count(*) AS things,
                                     count(*) FILTER (WHERE type = ANY($2::text[])) AS people,
                                     coalesce(sum(properties_bytes), 0) AS property_bytes
                              FROM things WHERE group_id = $1) t,
                             (SELECT count(*) AS knowledge,
                                     coalesce(sum(text_bytes + 4 * coalesce(array_length(embedding, 1), 0)), 0)
                                         AS knowledge_bytes
                              FROM knowledge WHERE group_id = $1) k""").execute(Tuple.of(groupId, personTypes)).map(rows -> {
            Row row = rows.iterator().next();
            long propertyBytes = row.getLong(2);
            long knowledgeBytes = row.getLong(5);
            return new Inventory(
                    row.getLong(0),
                    row.getLong(1),
                    row.getLong(3),
                    row.getLong(4),
                    propertyBytes + knowledgeBytes,
                    row.getLong(6));
        });
    }
}
