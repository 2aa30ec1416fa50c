package dev.strata.ingest.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

    /** In the caller's transaction: locks the row until it ends (plan changes are serialized per group). */
    public Uni<GroupEntity> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
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
