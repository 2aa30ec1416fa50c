package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The plan of each group, as group_created and group_plan_changed events report it. */
@ApplicationScoped
public class GroupPlanStore {

    public record GroupPlan(UUID groupId, String name, String plan, Instant planAt) {}

    /** Applies plan events; an event older than the one that set the current plan changes nothing. */
    public Uni<Void> upsert(SqlClient tx, Tables tables, Collection<GroupPlan> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = changes.size();
        UUID[] ids = new UUID[n];
        String[] names = new String[n];
        String[] plans = new String[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        int i = 0;
        for (GroupPlan change : changes) {
            ids[i] = change.groupId();
            names[i] = change.name();
            plans[i] = change.plan();
            ats[i] = change.planAt().atOffset(ZoneOffset.UTC);
            i++;
        }
        String table = tables.groups();
        return tx.preparedQuery("INSERT INTO " + table + " AS g (group_id, name, plan, plan_at)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])"
                        + " ON CONFLICT (group_id) DO UPDATE"
                        + " SET name = coalesce(excluded.name, g.name), plan = excluded.plan,"
                        + " plan_at = excluded.plan_at, updated_at = now()"
                        + " WHERE g.plan_at <= excluded.plan_at")
                .execute(Tuple.of(ids, names, plans, ats))
                .replaceWithVoid();
    }

    public Uni<GroupPlan> find(SqlClient client, UUID groupId) {
        return client.preparedQuery("SELECT group_id, name, plan, plan_at FROM groups WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? row(it.next()) : null;
                });
    }

    /** Every group, in no particular order (one query, for reads across all groups). */
    public Uni<List<GroupPlan>> all(SqlClient client) {
        return client.query("SELECT group_id, name, plan, plan_at FROM groups")
                .execute()
                .map(rows -> {
                    List<GroupPlan> all = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        all.add(row(row));
                    }
                    return all;
                });
    }

    /** Up to {@code limit} groups in id order, those after {@code after} (null: from the first). */
    public Uni<List<GroupPlan>> page(SqlClient client, UUID after, int limit) {
        return client.preparedQuery("SELECT group_id, name, plan, plan_at FROM groups"
                        + " WHERE $1::uuid IS NULL OR group_id > $1 ORDER BY group_id LIMIT $2")
                .execute(Tuple.of(after, limit))
                .map(rows -> {
                    List<GroupPlan> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        page.add(row(row));
                    }
                    return page;
                });
    }

    /** Plans of the given groups; groups never seen are absent. */
    public Uni<Map<UUID, String>> plans(SqlClient client, Tables tables, List<UUID> groupIds) {
        return client.preparedQuery("SELECT group_id, plan FROM " + tables.groups() + " WHERE group_id = ANY($1)")
                .execute(Tuple.of(groupIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, String> plans = new HashMap<>();
                    for (Row row : rows) {
                        plans.put(row.getUUID(0), row.getString(1));
                    }
                    return plans;
                });
    }

    private static GroupPlan row(Row row) {
        return new GroupPlan(
                row.getUUID(0),
                row.getString(1),
                row.getString(2),
                row.getOffsetDateTime(3).toInstant());
    }
}
