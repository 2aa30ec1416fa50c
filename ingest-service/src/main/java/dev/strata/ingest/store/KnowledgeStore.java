package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Knowledge (labels and chunks of text, with optional embeddings), written in bulk. */
@ApplicationScoped
public class KnowledgeStore {

    /**
     * @param embeddingLiteral the vector as a PostgreSQL array literal ({@code {0.1,0.2}}), or null. Vectors of
     *                         different lengths cannot travel as one two-dimensional array parameter, so each
     *                         travels as text and is cast to {@code real[]} in the statement.
     */
    public record KnowledgeRow(
            UUID id, UUID sourceThingId, String kind, String text, int textBytes, String embeddingLiteral) {}

    public Uni<Void> insert(SqlClient tx, UUID groupId, List<KnowledgeRow> rows, Instant createdAt) {
        int n = rows.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[n];
        UUID[] sources = new UUID[n];
        String[] kinds = new String[n];
        String[] texts = new String[n];
        Integer[] sizes = new Integer[n];
        String[] embeddings = new String[n];
        for (int i = 0; i < n; i++) {
            KnowledgeRow row = rows.get(i);
            ids[i] = row.id();
            sources[i] = row.sourceThingId();
            kinds[i] = row.kind();
            texts[i] = row.text();
            sizes[i] = row.textBytes();
            embeddings[i] = row.embeddingLiteral();
        }
        return tx.preparedQuery("""
                        INSERT INTO knowledge (id, group_id, source_thing_id, kind, text, text_bytes, embedding,
                                               created_at)
                        SELECT k.id, $1, k.source, k.kind, k.text, k.size, k.embedding::real[], $8
                        FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[])
                             AS k(id, source, kind, text, size, embedding)""")
                .execute(Tuple.from(List.of(
                        groupId, ids, sources, kinds, texts, sizes, embeddings, createdAt.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }
}
