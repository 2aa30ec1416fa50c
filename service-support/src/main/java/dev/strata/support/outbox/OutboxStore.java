package dev.strata.support.outbox;

import dev.strata.model.events.EventEnvelope;
import dev.strata.model.events.EventEnvelopeCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The outbox: events are inserted with the writes they describe, in the same transaction, and the relay
 * publishes them in {@code position} order and removes them in the transaction that published them. Each group
 * maps to one of {@link #SHARDS} shards; a relay owns a shard while it publishes it, so replicas share the work and
 * a group's events never overtake each other.
 */
@ApplicationScoped
public class OutboxStore {

    public static final int SHARDS = 16;

    public static int shardOf(UUID groupId) {
        return Math.floorMod(groupId.hashCode(), SHARDS);
    }

    /** Appends a group's events, in list order, within the caller's transaction. */
    public Uni<Void> append(SqlClient tx, UUID groupId, List<EventEnvelope> events) {
        return appendEvents(
                tx,
                groupId,
                events.stream()
                        .map(event -> new OutboxEvent(UUID.fromString(event.id()), EventEnvelopeCodec.toJson(event)))
                        .toList());
    }

    /** Appends a group's serialized events, in list order, within the caller's transaction. */
    public Uni<Void> appendEvents(SqlClient tx, UUID groupId, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[events.size()];
        String[] payloads = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            ids[i] = events.get(i).id();
            payloads[i] = events.get(i).json();
        }
        return tx.preparedQuery("""
                        INSERT INTO outbox (shard, group_id, event_id, payload)
                        SELECT $1, $2, e.id, e.payload
                        FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS e(id, payload, n)
                        ORDER BY e.n""")
                .execute(Tuple.of((short) shardOf(groupId), groupId, ids, payloads))
                .replaceWithVoid();
    }

    public record Pending(long position, UUID groupId, UUID eventId, String payload) {}

    /**
     * Shards that have unpublished rows: one probe of the (shard, position) index per shard, never a scan of the
     * table, which a queue fills with dead rows between vacuums.
     */
    public Uni<List<Integer>> pendingShards(SqlClient client) {
        return client.preparedQuery("SELECT s::smallint FROM generate_series(0, $1 - 1) AS s"
                        + " WHERE EXISTS (SELECT 1 FROM outbox WHERE shard = s)")
                .execute(Tuple.of(SHARDS))
                .map(rows -> {
                    List<Integer> shards = new ArrayList<>();
                    for (Row row : rows) {
                        shards.add((int) row.getShort(0));
                    }
                    return shards;
                });
    }

    /**
     * Takes the shard for the rest of the transaction if no other relay holds it. The lock key space is the
     * outbox's own (a fixed class id), so it cannot collide with other advisory locks.
     */
    public Uni<Boolean> tryLockShard(SqlClient tx, int shard) {
        return tx.preparedQuery("SELECT pg_try_advisory_xact_lock(74201, $1)")
                .execute(Tuple.of(shard))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<List<Pending>> nextBatch(SqlClient tx, int shard, int limit) {
        return tx.preparedQuery("""
                        SELECT position, group_id, event_id, payload FROM outbox
                        WHERE shard = $1 ORDER BY position LIMIT $2""").execute(Tuple.of((short) shard, limit)).map(rows -> {
            List<Pending> batch = new ArrayList<>(rows.size());
            for (Row row : rows) {
                batch.add(new Pending(row.getLong(0), row.getUUID(1), row.getUUID(2), row.getString(3)));
            }
            return batch;
        });
    }

    /**
     * Marks rows as published by removing them; the caller holds the shard's lock. The shard and the batch's
     * position range bound the (shard, position) index scan to the batch, whatever the planner believes of the
     * table (a queue's statistics are nearly always stale, and with a backlog a plan that filters the whole shard
     * takes seconds per batch); the list itself decides which rows go, since a transaction that took a position
     * inside the range may commit after the batch was read.
     */
    public Uni<Void> markPublished(SqlClient tx, int shard, List<Pending> published) {
        if (published.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] positions = published.stream().map(Pending::position).toArray(Long[]::new);
        long first = published.stream().mapToLong(Pending::position).min().orElse(0);
        long last = published.stream().mapToLong(Pending::position).max().orElse(-1);
        return tx.preparedQuery("DELETE FROM outbox WHERE shard = $1 AND position BETWEEN $2 AND $3"
                        + " AND position = ANY($4::bigint[])")
                .execute(Tuple.of((short) shard, first, last, positions))
                .replaceWithVoid();
    }

    /**
     * A row the broker refused for good, and why.
     *
     * @param kind   the refusal's kind (the exception Kafka answered with), the metric's tag
     * @param reason what is stored: Kafka's own message and the event's size
     */
    public record Dead(Pending row, String kind, String reason) {}

    /**
     * Moves rows the broker refused for good to {@code outbox_dead} with their reasons, in the transaction that
     * holds the shard's lock and removes the rest of their batch as published.
     */
    public Uni<Void> markDead(SqlClient tx, int shard, List<Dead> dead) {
        if (dead.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] positions = dead.stream().map(d -> d.row().position()).toArray(Long[]::new);
        String[] reasons = dead.stream().map(Dead::reason).toArray(String[]::new);
        return tx.preparedQuery("""
                        WITH moved AS (
                            DELETE FROM outbox o USING unnest($2::bigint[], $3::text[]) AS d(position, reason)
                            WHERE o.shard = $1 AND o.position = d.position
                            RETURNING o.position, o.shard, o.group_id, o.event_id, o.payload, o.created_at, d.reason)
                        INSERT INTO outbox_dead (position, shard, group_id, event_id, payload, created_at, reason)
                        SELECT position, shard, group_id, event_id, payload, created_at, reason FROM moved""")
                .execute(Tuple.of((short) shard, positions, reasons))
                .replaceWithVoid();
    }

    /** The rows set aside so far: how many, and when the oldest was set aside (null when there is none). */
    public record DeadRows(long count, OffsetDateTime oldest) {}

    public Uni<DeadRows> deadRows(SqlClient client) {
        return client.query("SELECT count(*), min(dead_at) FROM outbox_dead")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new DeadRows(row.getLong(0), row.getOffsetDateTime(1));
                });
    }

    /**
     * Reclaims the space of published (deleted) rows and refreshes the table's statistics. SKIP_LOCKED: when
     * another replica is vacuuming, this one does not wait. Not in a transaction (VACUUM cannot run in one).
     */
    public Uni<Void> vacuum(SqlClient client) {
        return client.query("VACUUM (ANALYZE, SKIP_LOCKED) outbox").execute().replaceWithVoid();
    }

    /** The live rows the last vacuum or analyze counted (0 before the first). */
    public Uni<Long> liveRowsEstimate(SqlClient client) {
        return client.query("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'outbox'::regclass")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * What an operator watches of the outbox ({@link OutboxMeters}).
     *
     * @param pending       rows waiting: exact up to {@link #EXACT_BACKLOG_UP_TO}, beyond that PostgreSQL's own count
     *                      of the table's live rows (at least the cap)
     * @param oldestSeconds how long the oldest waiting row has waited (0 when none waits)
     * @param setAside      rows in {@code outbox_dead}
     */
    public record Backlog(long pending, double oldestSeconds, long setAside) {}

    /**
     * Beyond this many waiting rows the backlog is PostgreSQL's count of live rows: counting a million rows every few
     * seconds would cost more than the figure is worth.
     */
    public static final int EXACT_BACKLOG_UP_TO = 100_000;

    /**
     * The backlog in one statement that reads no more than {@link #EXACT_BACKLOG_UP_TO} rows: the count stops at the
     * cap, and the oldest row is the first of each shard (one probe of the (shard, position) index per shard, as in
     * {@link #pendingShards}). Ages are measured on the database's clock, which stamped {@code created_at}.
     */
    public Uni<Backlog> backlog(SqlClient client) {
        return client.preparedQuery("""
                        SELECT (SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT $2) capped),
                               (SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = 'outbox'::regclass),
                               (SELECT coalesce(extract(epoch FROM now() - min(head.created_at)), 0)::float8
                                FROM generate_series(0, $1 - 1) AS s
                                CROSS JOIN LATERAL (SELECT created_at FROM outbox WHERE shard = s
                                                    ORDER BY position LIMIT 1) head),
                               (SELECT count(*) FROM outbox_dead)""")
                .execute(Tuple.of(SHARDS, EXACT_BACKLOG_UP_TO))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Backlog(
                            pending(row.getLong(0), row.getLong(1)), Math.max(0, row.getDouble(2)), row.getLong(3));
                });
    }

    /**
     * The backlog from a count capped at {@link #EXACT_BACKLOG_UP_TO} and PostgreSQL's live-row count (null where
     * the statistics are off): the count below the cap, else the larger of the two.
     */
    static long pending(long counted, Long live) {
        return counted < EXACT_BACKLOG_UP_TO || live == null ? counted : Math.max(counted, live);
    }
}
