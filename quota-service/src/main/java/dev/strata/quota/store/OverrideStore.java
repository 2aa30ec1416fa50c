package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Per-group limits that replace the plan's ({@link LimitOverride}; -1 is unlimited), read on the reactive client
 * together with plans and counters on one connection. An administrator's reads and changes of one group's go through
 * {@link OverrideRepository}.
 */
@ApplicationScoped
public class OverrideStore {

    /** A group's overrides by metric name. */
    public Uni<Map<String, Long>> find(SqlClient client, UUID groupId) {
        return client.preparedQuery("SELECT metric, limit_value FROM overrides WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    Map<String, Long> overrides = new TreeMap<>();
                    for (Row row : rows) {
                        overrides.put(row.getString(0), row.getLong(1));
                    }
                    return overrides;
                });
    }

    /** Every group's overrides, in one query; groups without any are absent. */
    public Uni<Map<UUID, Map<String, Long>>> all(SqlClient client) {
        return client.query("SELECT group_id, metric, limit_value FROM overrides")
                .execute()
                .map(OverrideStore::byGroup);
    }

    public Uni<Map<UUID, Map<String, Long>>> forGroups(SqlClient client, List<UUID> groupIds) {
        return client.preparedQuery("SELECT group_id, metric, limit_value FROM overrides WHERE group_id = ANY($1)")
                .execute(Tuple.of(groupIds.toArray(UUID[]::new)))
                .map(OverrideStore::byGroup);
    }

    private static Map<UUID, Map<String, Long>> byGroup(RowSet<Row> rows) {
        Map<UUID, Map<String, Long>> overrides = new HashMap<>();
        for (Row row : rows) {
            overrides.computeIfAbsent(row.getUUID(0), g -> new HashMap<>()).put(row.getString(1), row.getLong(2));
        }
        return overrides;
    }
}
