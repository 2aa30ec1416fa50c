package dev.strata.ingest.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Groups (tenants). */
@ApplicationScoped
public class GroupStore {

    public record GroupRow(UUID id, String name, String plan, Instant createdAt, Instant updatedAt) {}

    public Uni<GroupRow> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT id, name, plan, created_at, updated_at FROM groups WHERE id = $1")
                .execute(Tuple.of(id))
                .map(GroupStore::first);
    }

    /**
     * The group a write is for, kept from being deleted or re-keyed until the write commits ({@code FOR KEY
     * SHARE}: what a foreign key would take, once per write instead of once per row; plan changes still wait).
     */
    public Uni<GroupRow> findForWrite(SqlClient tx, UUID id) {
        return tx.preparedQuery(
                        "SELECT id, name, plan, created_at, updated_at FROM groups WHERE id = $1" + " FOR KEY SHARE")
                .execute(Tuple.of(id))
                .map(GroupStore::first);
    }

    /** Locks the row for the rest of the transaction (plan changes are serialized per group). */
    public Uni<GroupRow> findForUpdate(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT id, name, plan, created_at, updated_at FROM groups WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(GroupStore::first);
    }

    public Uni<Void> insert(SqlClient tx, GroupRow group) {
        return tx.preparedQuery(
                        "INSERT INTO groups (id, name, plan, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
                .execute(Tuple.of(group.id(), group.name(), group.plan(), utc(group.createdAt())))
                .replaceWithVoid();
    }

    /**
     * {@code updated_at} is the plan's time, the same instant as the {@code group_plan_changed} event's: quota-service
     * orders the plan it learns from {@code GET /groups/{g}} against the events by it (GroupResource.GroupView).
     */
    public Uni<Void> updatePlan(SqlClient tx, UUID id, String plan, Instant at) {
        return tx.preparedQuery("UPDATE groups SET plan = $2, updated_at = $3 WHERE id = $1")
                .execute(Tuple.of(id, plan, utc(at)))
                .replaceWithVoid();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static GroupRow first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new GroupRow(
                row.getUUID(0),
                row.getString(1),
                row.getString(2),
                row.getOffsetDateTime(3).toInstant(),
                row.getOffsetDateTime(4).toInstant());
    }
}
