package dev.strata.ingest.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Groups (tenants), read and written one at a time through Panache. The lock a batch write takes on its group is
 * SQL on the batch's own connection ({@link #lockForWrite}): batches run on the reactive client.
 */
@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<GroupEntity, UUID> {

    @WithSession
    public Uni<GroupEntity> find(UUID id) {
        return findById(id);
    }

    /**
     * In the caller's transaction: locks the row until it ends, {@code FOR UPDATE}. Plan changes are serialized per
     * group, and against batches: this waits for the batches holding their {@code FOR KEY SHARE} and the next ones
     * wait for it, so a group's plan event and its batches' events never interleave. (Hibernate's
     * {@code PESSIMISTIC_WRITE} would take {@code FOR NO KEY UPDATE} on PostgreSQL, which batches do not wait for.)
     */
    public Uni<GroupEntity> findForUpdate(UUID id) {
        return getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT * FROM groups WHERE id = :id FOR UPDATE", GroupEntity.class)
                        .setParameter("id", id)
                        .getSingleResultOrNull());
    }

    /**
     * Whether the group a batch writes to exists; if so it is kept from being deleted or re-keyed until the write
     * commits ({@code FOR KEY SHARE}: what a foreign key would take, once per write instead of once per row; plan
     * changes still wait).
     */
    public Uni<Boolean> lockForWrite(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT 1 FROM groups WHERE id = $1 FOR KEY SHARE")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }
}
