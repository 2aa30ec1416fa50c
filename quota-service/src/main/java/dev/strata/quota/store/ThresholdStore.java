package dev.strata.quota.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Threshold crossings: one row per (group, metric, period, threshold), ever. */
@ApplicationScoped
public class ThresholdStore {

    public record Crossing(
            UUID groupId, String metric, String period, int threshold, long current, long limit, UUID eventId) {}

    /** Records the crossings; returns those that were new, the only ones that become events. */
    public Uni<List<Crossing>> record(SqlClient tx, List<Crossing> crossings) {
        if (crossings.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = crossings.size();
        UUID[] groups = new UUID[n];
        String[] metrics = new String[n];
        String[] periods = new String[n];
        Short[] thresholds = new Short[n];
        Long[] currents = new Long[n];
        Long[] limits = new Long[n];
        UUID[] eventIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            Crossing c = crossings.get(i);
            groups[i] = c.groupId();
            metrics[i] = c.metric();
            periods[i] = c.period();
            thresholds[i] = (short) c.threshold();
            currents[i] = c.current();
            limits[i] = c.limit();
            eventIds[i] = c.eventId();
        }
        return tx.preparedQuery("""
                        INSERT INTO threshold_crossings
                            (group_id, metric, period, threshold, current, limit_value, event_id)
                        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::bigint[],
                                             $6::bigint[], $7::uuid[])
                        ON CONFLICT DO NOTHING
                        RETURNING group_id, metric, period, threshold, current, limit_value, event_id""")
                .execute(Tuple.wrap(new Object[] {groups, metrics, periods, thresholds, currents, limits, eventIds}))
                .map(rows -> {
                    List<Crossing> recorded = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        recorded.add(new Crossing(
                                row.getUUID(0),
                                row.getString(1),
                                row.getString(2),
                                row.getShort(3),
                                row.getLong(4),
                                row.getLong(5),
                                row.getUUID(6)));
                    }
                    return recorded;
                });
    }

    /** Removes crossings of monthly periods before {@code firstKeptMonth}. */
    public Uni<Integer> deleteBefore(SqlClient client, String firstKeptMonth) {
        return client.preparedQuery("DELETE FROM threshold_crossings WHERE period <> 'total' AND period < $1")
                .execute(Tuple.of(firstKeptMonth))
                .map(rows -> rows.rowCount());
    }
}
