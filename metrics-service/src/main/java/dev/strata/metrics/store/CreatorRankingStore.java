package dev.strata.metrics.store;

import static dev.strata.metrics.store.GraphReadStore.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A group's people ranked by followers, then events as actor, then id, in one statement over the rollups that
 * creator stats read (thing_connections, thing_activity), so each figure is the stats' own.
 */
@ApplicationScoped
public class CreatorRankingStore {

    /** A ranked person; the figures are 0 (and {@code lastActiveAt} null) where the rollups hold no row. */
    public record RankedCreator(
            UUID id, String name, String type, long followers, long content, long events, Instant lastActiveAt) {}

    /*
     * Only the first rows of thing_connections_followers (V4: the inbound 'following' rows, most followed first)
     * and their ties are read: FETCH ... WITH TIES keeps every person with as many followers as the last one, whose
     * order the events decide. Only when fewer than $3 people have a follower at all are the others ranked too:
     * the group's people without one, by events, best $3 (a scan of the group's people, which then have no
     * followers to rank by). Events, content and last activity are primary-key reads per candidate (scalar
     * subqueries, never a join over the group's rows); the last two only for the rows answered. The literal
     * 'inbound' / 'following' must stay literals: they are what lets the planner use the partial index.
     */
    private static final String TOP = """
            WITH followed AS (
                SELECT f.thing_id, t.name, t.type, f.connections AS followers
                FROM thing_connections f
                JOIN things t ON t.group_id = f.group_id AND t.id = f.thing_id
                WHERE f.group_id = $1 AND f.direction = 'inbound' AND f.relationship_type = 'following'
                  AND t.type = ANY($2::text[])
                ORDER BY f.connections DESC
                FETCH FIRST $3 ROWS WITH TIES
            ), candidates AS (
                SELECT thing_id, name, type, followers FROM followed
                UNION ALL
                (SELECT t.id, t.name, t.type, 0
                 FROM things t
                 LEFT JOIN thing_activity a ON a.group_id = t.group_id AND a.thing_id = t.id
                 WHERE (SELECT count(*) FROM followed) < $3
                   AND t.group_id = $1 AND t.type = ANY($2::text[])
                   AND NOT EXISTS (SELECT 1 FROM thing_connections f
                                   WHERE f.group_id = t.group_id AND f.thing_id = t.id
                                     AND f.direction = 'inbound' AND f.relationship_type = 'following')
                 ORDER BY coalesce(a.events_as_actor, 0) DESC, t.id
                 LIMIT $3)
            )
            SELECT c.thing_id, c.name, c.type, c.followers,
                   coalesce((SELECT o.connections FROM thing_connections o
                             WHERE o.group_id = $1 AND o.thing_id = c.thing_id
                               AND o.direction = 'outbound' AND o.relationship_type = 'authored'), 0) AS content,
                   coalesce((SELECT a.events_as_actor FROM thing_activity a
                             WHERE a.group_id = $1 AND a.thing_id = c.thing_id), 0) AS events,
                   (SELECT a.last_active_at FROM thing_activity a
                    WHERE a.group_id = $1 AND a.thing_id = c.thing_id) AS last_active_at
            FROM candidates c
            ORDER BY c.followers DESC, events DESC, c.thing_id
            LIMIT $3""";

    /** The group's best {@code limit} things of {@code types}, best first. */
    public Uni<List<RankedCreator>> top(SqlClient client, UUID groupId, String[] types, int limit) {
        return client.preparedQuery(TOP)
                .execute(Tuple.of(groupId, types, (long) limit))
                .map(rows -> {
                    List<RankedCreator> ranked = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        ranked.add(new RankedCreator(
                                row.getUUID(0),
                                row.getString(1),
                                row.getString(2),
                                row.getLong(3),
                                row.getLong(4),
                                row.getLong(5),
                                instant(row.getOffsetDateTime(6))));
                    }
                    return ranked;
                });
    }
}
