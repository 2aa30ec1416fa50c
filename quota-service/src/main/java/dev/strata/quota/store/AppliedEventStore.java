package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Quota's exactly-once log ({@code applied_events}, written through service-support's {@code ConsumerLog} in the
 * transaction that applies a batch): ids are kept for {@code applied-events-max-age}, the window in which a
 * redelivery can still come, then removed by the retention job.
 */
@ApplicationScoped
public class AppliedEventStore {

    public Uni<Integer> deleteAppliedBefore(SqlClient client, OffsetDateTime before) {
        return client.preparedQuery("DELETE FROM applied_events WHERE applied_at < $1")
                .execute(Tuple.of(before))
                .map(rows -> rows.rowCount());
    }
}
