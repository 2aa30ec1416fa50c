package dev.strata.metrics.store;

import static dev.strata.metrics.store.GraphReadStore.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Where the projections stand for a group, and whether a given event has been applied. */
@ApplicationScoped
public class FreshnessStore {

    public record PositionRow(String eventId, Instant publishedAt, Instant appliedAt) {}

    public Uni<PositionRow> position(SqlClient client, UUID groupId) {
        return client.preparedQuery(
                        "SELECT event_id, published_at, applied_at FROM group_positions" + " WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new PositionRow(
                            row.getString(0), instant(row.getOffsetDateTime(1)), instant(row.getOffsetDateTime(2)));
                });
    }

    /** One primary-key lookup: is this event of this group applied? */
    public Uni<Boolean> isApplied(SqlClient client, UUID groupId, String eventId) {
        return client.preparedQuery("SELECT 1 FROM applied_events WHERE event_id = $1 AND group_id = $2")
                .execute(Tuple.of(eventId, groupId))
                .map(rows -> rows.size() > 0);
    }
}
