package dev.strata.metrics.store;

import dev.strata.metrics.store.Facts.Activity;
import dev.strata.metrics.store.Facts.Archived;
import dev.strata.metrics.store.Facts.NewConnection;
import dev.strata.metrics.store.Facts.NewKnowledge;
import dev.strata.metrics.store.Facts.NewThing;
import dev.strata.metrics.store.Facts.ThingChange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every write of the projections: one statement per table and batch, whatever the batch size ({@code unnest} of
 * column arrays). Counters are upserted with deltas the caller has already summed per key, so no statement
 * touches a row twice. Inserts report what they actually inserted, so a fact seen twice is counted once.
 */
@ApplicationScoped
public class ProjectionWriter {

    /** Advisory lock key: live batches hold it shared, a rebuild's final catch-up and swap hold it exclusively. */
    public static final long SWAP_LOCK = 0x5354_5241_5441_0001L;

    public record GroupTotalsDelta(
            UUID groupId,
            long things,
            long connections,
            long knowledgeItems,
            long propertiesBytes,
            long knowledgeBytes,
            long events,
            Instant lastEventAt) {}

    public record ThingTypeDelta(UUID groupId, String thingType, long things, long connectionEnds) {}

    public record DayDelta(UUID groupId, LocalDate day, String eventType, long events) {}

    public record ThingActivityDelta(UUID groupId, UUID thingId, long asActor, long involving, Instant lastActiveAt) {}

    /** Revenue per currency, all-time for a group. */
    public record GroupRevenueDelta(UUID groupId, String currency, BigDecimal revenue) {}

    /** Revenue per currency of a group in the calendar month (UTC) starting on {@code month}. */
    public record MonthRevenueDelta(UUID groupId, LocalDate month, String currency, BigDecimal revenue) {}

    /** Revenue per currency of a thing as actor, all-time. */
    public record ThingRevenueDelta(UUID groupId, UUID thingId, String currency, BigDecimal revenue) {}

    public record ActorTypeDelta(UUID groupId, UUID actorId, String eventType, long events) {}

    public record ThingConnectionDelta(
            UUID groupId, UUID thingId, String direction, String relationshipType, long connections) {}

    public record ConnectionCountDelta(UUID groupId, UUID thingId, long connections) {}

    public record ApiCallsDelta(UUID groupId, LocalDate month, long calls) {}

    /** The last event applied for a group; {@code publishedAt} is the Kafka record's timestamp. */
    public record Position(UUID groupId, String eventId, String eventType, Instant publishedAt) {}

    /** Properties bytes a batch of updates added to (or removed from) a group. */
    public record BytesDelta(UUID groupId, long bytes) {}

    /** Waits until no rebuild is swapping tables; released with the transaction. */
    public Uni<Void> holdSwapLockShared(SqlClient tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)")
                .execute(Tuple.of(SWAP_LOCK))
                .replaceWithVoid();
    }

    public Uni<List<NewThing>> insertThings(SqlClient tx, ProjectionTables t, List<NewThing> things) {
        int n = things.size();
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] groups = new UUID[n];
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] names = new String[n];
        String[] statuses = new String[n];
        String[] properties = new String[n];
        Integer[] sizes = new Integer[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            NewThing thing = things.get(i);
            groups[i] = thing.groupId();
            ids[i] = thing.id();
            types[i] = thing.type();
            names[i] = thing.name();
            statuses[i] = thing.status();
            properties[i] = thing.propertiesJson();
            sizes[i] = thing.propertiesBytes();
            created[i] = utc(thing.createdAt());
        }
        return tx.preparedQuery("INSERT INTO " + t.things() + """
                         (group_id, id, type, name, status, properties, properties_bytes, created_at, updated_at)
                        SELECT g, id, type, name, status, properties::jsonb, size, created, created
                        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                                    $8::timestamptz[]) AS n(g, id, type, name, status, properties, size, created)
                        ON CONFLICT DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(List.of(groups, ids, types, names, statuses, properties, sizes, created)))
                .map(rows -> inserted(rows, things, NewThing::id));
    }

    /** Applies the (already folded) changes; returns the change in properties bytes per group. */
    public Uni<List<BytesDelta>> updateThings(SqlClient tx, ProjectionTables t, Collection<ThingChange> changes) {
        int n = changes.size();
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] groups = new UUID[n];
        UUID[] ids = new UUID[n];
        String[] names = new String[n];
        String[] properties = new String[n];
        Integer[] sizes = new Integer[n];
        String[] statuses = new String[n];
        OffsetDateTime[] updated = new OffsetDateTime[n];
        int i = 0;
        for (ThingChange change : changes) {
            groups[i] = change.groupId();
            ids[i] = change.id();
            names[i] = change.name();
            properties[i] = change.propertiesJson();
            sizes[i] = change.propertiesBytes();
            statuses[i] = change.status();
            updated[i] = utc(change.updatedAt());
            i++;
        }
        // The second reference to the table ("old") reads the rows as they were before this statement.
        return tx.preparedQuery("UPDATE " + t.things() + " AS cur SET name = coalesce(u.name, cur.name),"
                        + " properties = coalesce(u.properties::jsonb, cur.properties),"
                        + " properties_bytes = coalesce(u.size, cur.properties_bytes),"
                        + " status = coalesce(u.status, cur.status), updated_at = u.updated"
                        + " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[],"
                        + " $7::timestamptz[]) AS u(g, id, name, properties, size, status, updated), "
                        + t.things() + " AS old"
                        + " WHERE cur.group_id = u.g AND cur.id = u.id AND old.group_id = u.g AND old.id = u.id"
                        + " RETURNING cur.group_id, cur.properties_bytes - old.properties_bytes")
                .execute(Tuple.from(List.of(groups, ids, names, properties, sizes, statuses, updated)))
                .map(rows -> {
                    List<BytesDelta> deltas = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        deltas.add(new BytesDelta(row.getUUID(0), row.getInteger(1)));
                    }
                    return deltas;
                });
    }

    public Uni<List<NewConnection>> insertConnections(
            SqlClient tx, ProjectionTables t, List<NewConnection> connections) {
        int n = connections.size();
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] groups = new UUID[n];
        UUID[] ids = new UUID[n];
        UUID[] froms = new UUID[n];
        String[] fromTypes = new String[n];
        UUID[] tos = new UUID[n];
        String[] toTypes = new String[n];
        String[] types = new String[n];
        String[] metadata = new String[n];
        Double[] strengths = new Double[n];
        OffsetDateTime[] validFrom = new OffsetDateTime[n];
        OffsetDateTime[] validTo = new OffsetDateTime[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            NewConnection c = connections.get(i);
            groups[i] = c.groupId();
            ids[i] = c.id();
            froms[i] = c.fromId();
            fromTypes[i] = c.fromType();
            tos[i] = c.toId();
            toTypes[i] = c.toType();
            types[i] = c.relationshipType();
            metadata[i] = c.metadataJson();
            strengths[i] = c.strength();
            validFrom[i] = utc(c.validFrom());
            validTo[i] = utc(c.validTo());
            created[i] = utc(c.createdAt());
        }
        return tx.preparedQuery("INSERT INTO " + t.connections() + """
                         (group_id, id, from_id, from_type, to_id, to_type, relationship_type, metadata, strength,
                          valid_from, valid_to, created_at)
                        SELECT g, id, f, ft, t, tt, rt, md::jsonb, s, vf, vt, c
                        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[],
                                    $8::text[], $9::float8[], $10::timestamptz[], $11::timestamptz[],
                                    $12::timestamptz[]) AS n(g, id, f, ft, t, tt, rt, md, s, vf, vt, c)
                        ON CONFLICT DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(List.of(
                        groups, ids, froms, fromTypes, tos, toTypes, types, metadata, strengths, validFrom, validTo,
                        created)))
                .map(rows -> inserted(rows, connections, NewConnection::id));
    }

    public Uni<List<NewKnowledge>> insertKnowledge(SqlClient tx, ProjectionTables t, List<NewKnowledge> items) {
        int n = items.size();
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] groups = new UUID[n];
        UUID[] ids = new UUID[n];
        UUID[] sources = new UUID[n];
        String[] kinds = new String[n];
        String[] texts = new String[n];
        Integer[] textBytes = new Integer[n];
        Integer[] dimensions = new Integer[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            NewKnowledge k = items.get(i);
            groups[i] = k.groupId();
            ids[i] = k.id();
            sources[i] = k.sourceThingId();
            kinds[i] = k.kind();
            texts[i] = k.text();
            textBytes[i] = k.textBytes();
            dimensions[i] = k.embeddingDimensions();
            created[i] = utc(k.createdAt());
        }
        return tx.preparedQuery("INSERT INTO " + t.knowledge() + """
                         (group_id, id, source_thing_id, kind, text, text_bytes, embedding_dimensions, created_at)
                        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[],
                                             $7::int[], $8::timestamptz[])
                        ON CONFLICT DO NOTHING
                        RETURNING id""")
                .execute(Tuple.from(List.of(groups, ids, sources, kinds, texts, textBytes, dimensions, created)))
                .map(rows -> inserted(rows, items, NewKnowledge::id));
    }

    public Uni<Void> addThingConnections(SqlClient tx, ProjectionTables t, Collection<ThingConnectionDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        UUID[] things = new UUID[n];
        String[] directions = new String[n];
        String[] types = new String[n];
        Long[] counts = new Long[n];
        int i = 0;
        for (ThingConnectionDelta d : deltas) {
            groups[i] = d.groupId();
            things[i] = d.thingId();
            directions[i] = d.direction();
            types[i] = d.relationshipType();
            counts[i] = d.connections();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.thingConnections() + " AS c"
                        + " (group_id, thing_id, direction, relationship_type, connections)"
                        + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[])"
                        + " ON CONFLICT (group_id, thing_id, direction, relationship_type)"
                        + " DO UPDATE SET connections = c.connections + excluded.connections")
                .execute(Tuple.of(groups, things, directions, types, counts))
                .replaceWithVoid();
    }

    public Uni<Void> addConnectionCounts(SqlClient tx, ProjectionTables t, Collection<ConnectionCountDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        UUID[] things = new UUID[n];
        Long[] counts = new Long[n];
        int i = 0;
        for (ConnectionCountDelta d : deltas) {
            groups[i] = d.groupId();
            things[i] = d.thingId();
            counts[i] = d.connections();
            i++;
        }
        return tx.preparedQuery("UPDATE " + t.things() + " AS th SET connection_count = th.connection_count + d.n"
                        + " FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS d(g, id, n)"
                        + " WHERE th.group_id = d.g AND th.id = d.id")
                .execute(Tuple.of(groups, things, counts))
                .replaceWithVoid();
    }

    public Uni<Void> addGroupTotals(SqlClient tx, ProjectionTables t, Collection<GroupTotalsDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        Long[] things = new Long[n];
        Long[] connections = new Long[n];
        Long[] knowledge = new Long[n];
        Long[] propertiesBytes = new Long[n];
        Long[] knowledgeBytes = new Long[n];
        Long[] events = new Long[n];
        OffsetDateTime[] last = new OffsetDateTime[n];
        int i = 0;
        for (GroupTotalsDelta d : deltas) {
            groups[i] = d.groupId();
            things[i] = d.things();
            connections[i] = d.connections();
            knowledge[i] = d.knowledgeItems();
            propertiesBytes[i] = d.propertiesBytes();
            knowledgeBytes[i] = d.knowledgeBytes();
            events[i] = d.events();
            last[i] = utc(d.lastEventAt());
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.groupTotals() + " AS g (group_id, things, connections,"
                        + " knowledge_items, properties_bytes, knowledge_bytes, events, last_event_at)"
                        + " SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],"
                        + " $6::bigint[], $7::bigint[], $8::timestamptz[])"
                        + " ON CONFLICT (group_id) DO UPDATE SET things = g.things + excluded.things,"
                        + " connections = g.connections + excluded.connections,"
                        + " knowledge_items = g.knowledge_items + excluded.knowledge_items,"
                        + " properties_bytes = g.properties_bytes + excluded.properties_bytes,"
                        + " knowledge_bytes = g.knowledge_bytes + excluded.knowledge_bytes,"
                        + " events = g.events + excluded.events,"
                        + " last_event_at = greatest(g.last_event_at, excluded.last_event_at)")
                .execute(Tuple.from(
                        List.of(groups, things, connections, knowledge, propertiesBytes, knowledgeBytes, events, last)))
                .replaceWithVoid();
    }

    public Uni<Void> addThingTypes(SqlClient tx, ProjectionTables t, Collection<ThingTypeDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        String[] types = new String[n];
        Long[] things = new Long[n];
        Long[] ends = new Long[n];
        int i = 0;
        for (ThingTypeDelta d : deltas) {
            groups[i] = d.groupId();
            types[i] = d.thingType();
            things[i] = d.things();
            ends[i] = d.connectionEnds();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.groupThingTypes() + " AS g"
                        + " (group_id, thing_type, things, connection_ends)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[])"
                        + " ON CONFLICT (group_id, thing_type) DO UPDATE SET things = g.things + excluded.things,"
                        + " connection_ends = g.connection_ends + excluded.connection_ends")
                .execute(Tuple.of(groups, types, things, ends))
                .replaceWithVoid();
    }

    public Uni<Void> addDaily(SqlClient tx, ProjectionTables t, Collection<DayDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        LocalDate[] days = new LocalDate[n];
        String[] types = new String[n];
        Long[] events = new Long[n];
        int i = 0;
        for (DayDelta d : deltas) {
            groups[i] = d.groupId();
            days[i] = d.day();
            types[i] = d.eventType();
            events[i] = d.events();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.groupDaily() + " AS d (group_id, day, event_type, events)"
                        + " SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::bigint[])"
                        + " ON CONFLICT (group_id, day, event_type) DO UPDATE SET events = d.events + excluded.events")
                .execute(Tuple.of(groups, days, types, events))
                .replaceWithVoid();
    }

    /**
     * Per-thing activity; the thing's type is copied from the things projection so reads need no join. In the same
     * statement, every thing whose latest day as actor (or known type) changed moves in {@code group_last_active}:
     * one off its old day, one onto its new day. {@code before} reads the rows as they were before the upsert (one
     * snapshot for the whole statement), and no other transaction writes a group's rows meanwhile: a group's
     * events come from one partition, applied by one consumer.
     */
    public Uni<Void> addThingActivity(SqlClient tx, ProjectionTables t, Collection<ThingActivityDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        UUID[] things = new UUID[n];
        Long[] asActor = new Long[n];
        Long[] involving = new Long[n];
        OffsetDateTime[] last = new OffsetDateTime[n];
        int i = 0;
        for (ThingActivityDelta d : deltas) {
            groups[i] = d.groupId();
            things[i] = d.thingId();
            asActor[i] = d.asActor();
            involving[i] = d.involving();
            last[i] = utc(d.lastActiveAt());
            i++;
        }
        return tx.preparedQuery("WITH d AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[],"
                        + " $5::timestamptz[]) AS d(g, id, actor, involving, last)),"
                        + " before AS (SELECT a.group_id, a.thing_id, a.thing_type,"
                        + " (a.last_active_at AT TIME ZONE 'UTC')::date AS day"
                        + " FROM " + t.thingActivity() + " a JOIN d ON a.group_id = d.g AND a.thing_id = d.id),"
                        + " after AS (INSERT INTO " + t.thingActivity() + " AS a (group_id, thing_id, thing_type,"
                        + " events_as_actor, events_involving, last_active_at)"
                        // coalesce stops at the first value: only new or untyped rows look up the thing
                        + " SELECT d.g, d.id, coalesce(b.thing_type, (SELECT th.type FROM " + t.things() + " th"
                        + " WHERE th.group_id = d.g AND th.id = d.id)), d.actor, d.involving, d.last"
                        + " FROM d LEFT JOIN before b ON b.group_id = d.g AND b.thing_id = d.id"
                        + " ON CONFLICT (group_id, thing_id) DO UPDATE SET"
                        + " thing_type = coalesce(a.thing_type, excluded.thing_type),"
                        + " events_as_actor = a.events_as_actor + excluded.events_as_actor,"
                        + " events_involving = a.events_involving + excluded.events_involving,"
                        + " last_active_at = greatest(a.last_active_at, excluded.last_active_at)"
                        + " RETURNING a.group_id, a.thing_id, a.thing_type,"
                        + " (a.last_active_at AT TIME ZONE 'UTC')::date AS day),"
                        + " moves AS (SELECT b.group_id, b.day, b.thing_type, -1 AS n FROM before b JOIN after x"
                        + " USING (group_id, thing_id)"
                        + " WHERE (b.day, b.thing_type) IS DISTINCT FROM (x.day, x.thing_type)"
                        + " UNION ALL SELECT x.group_id, x.day, x.thing_type, 1 FROM after x"
                        + " LEFT JOIN before b USING (group_id, thing_id)"
                        + " WHERE (b.day, b.thing_type) IS DISTINCT FROM (x.day, x.thing_type))"
                        + " INSERT INTO " + t.groupLastActive() + " AS l (group_id, day, thing_type, things)"
                        + " SELECT group_id, day, thing_type, sum(n) FROM moves"
                        + " WHERE day IS NOT NULL AND thing_type IS NOT NULL GROUP BY 1, 2, 3"
                        + " ON CONFLICT (group_id, day, thing_type) DO UPDATE SET things = l.things + excluded.things")
                .execute(Tuple.of(groups, things, asActor, involving, last))
                .replaceWithVoid();
    }

    /** Amounts are sent as text: numeric keeps every digit (a double would not). */
    public Uni<Void> addGroupRevenue(SqlClient tx, ProjectionTables t, Collection<GroupRevenueDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        String[] currencies = new String[n];
        String[] amounts = new String[n];
        int i = 0;
        for (GroupRevenueDelta d : deltas) {
            groups[i] = d.groupId();
            currencies[i] = d.currency();
            amounts[i] = d.revenue().toPlainString();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.groupRevenue() + " AS r (group_id, currency, revenue)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]::numeric[])"
                        + " ON CONFLICT (group_id, currency) DO UPDATE SET revenue = r.revenue + excluded.revenue")
                .execute(Tuple.of(groups, currencies, amounts))
                .replaceWithVoid();
    }

    public Uni<Void> addMonthlyRevenue(SqlClient tx, ProjectionTables t, Collection<MonthRevenueDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        LocalDate[] months = new LocalDate[n];
        String[] currencies = new String[n];
        String[] amounts = new String[n];
        int i = 0;
        for (MonthRevenueDelta d : deltas) {
            groups[i] = d.groupId();
            months[i] = d.month();
            currencies[i] = d.currency();
            amounts[i] = d.revenue().toPlainString();
            i++;
        }
        return tx.preparedQuery(
                        "INSERT INTO " + t.groupRevenueMonthly() + " AS r (group_id, month, currency, revenue)"
                                + " SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[]::numeric[])"
                                + " ON CONFLICT (group_id, month, currency) DO UPDATE SET revenue = r.revenue + excluded.revenue")
                .execute(Tuple.of(groups, months, currencies, amounts))
                .replaceWithVoid();
    }

    public Uni<Void> addThingRevenue(SqlClient tx, ProjectionTables t, Collection<ThingRevenueDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        UUID[] things = new UUID[n];
        String[] currencies = new String[n];
        String[] amounts = new String[n];
        int i = 0;
        for (ThingRevenueDelta d : deltas) {
            groups[i] = d.groupId();
            things[i] = d.thingId();
            currencies[i] = d.currency();
            amounts[i] = d.revenue().toPlainString();
            i++;
        }
        return tx.preparedQuery(
                        "INSERT INTO " + t.thingRevenue() + " AS r (group_id, thing_id, currency, revenue)"
                                + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]::numeric[])"
                                + " ON CONFLICT (group_id, thing_id, currency) DO UPDATE SET revenue = r.revenue + excluded.revenue")
                .execute(Tuple.of(groups, things, currencies, amounts))
                .replaceWithVoid();
    }

    public Uni<Void> addActorEventTypes(SqlClient tx, ProjectionTables t, Collection<ActorTypeDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        UUID[] actors = new UUID[n];
        String[] types = new String[n];
        Long[] events = new Long[n];
        int i = 0;
        for (ActorTypeDelta d : deltas) {
            groups[i] = d.groupId();
            actors[i] = d.actorId();
            types[i] = d.eventType();
            events[i] = d.events();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.actorEventTypes() + " AS a (group_id, actor_id, event_type, events)"
                        + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[])"
                        + " ON CONFLICT (group_id, actor_id, event_type)"
                        + " DO UPDATE SET events = a.events + excluded.events")
                .execute(Tuple.of(groups, actors, types, events))
                .replaceWithVoid();
    }

    public Uni<Void> insertRecentEvents(SqlClient tx, ProjectionTables t, List<Activity> events) {
        int n = events.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        String[] ids = new String[n];
        String[] types = new String[n];
        UUID[] actors = new UUID[n];
        UUID[] targets = new UUID[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] metadata = new String[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Activity a = events.get(i);
            groups[i] = a.groupId();
            ids[i] = a.eventId();
            types[i] = a.type();
            actors[i] = a.actorId();
            targets[i] = a.targetId();
            occurred[i] = utc(a.occurredAt());
            metadata[i] = a.metadataJson();
            recorded[i] = utc(a.recordedAt());
        }
        return tx.preparedQuery("INSERT INTO " + t.recentEvents() + """
                         (group_id, event_id, type, actor_id, target_id, occurred_at, metadata, recorded_at)
                        SELECT g, id, type, actor, target, at, md::jsonb, rec
                        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[],
                                    $7::text[], $8::timestamptz[]) AS e(g, id, type, actor, target, at, md, rec)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(List.of(groups, ids, types, actors, targets, occurred, metadata, recorded)))
                .replaceWithVoid();
    }

    /** Archived events leave the activity feed; every rollup keeps counting them. */
    public Uni<Void> removeArchived(SqlClient tx, ProjectionTables t, List<Archived> archived) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Archived a : archived) {
            String[] types = a.types().isEmpty() ? null : a.types().toArray(String[]::new);
            chain = chain.chain(() -> tx.preparedQuery("DELETE FROM " + t.recentEvents()
                            + " WHERE group_id = $1 AND occurred_at BETWEEN $2 AND $3"
                            + " AND ($4::text[] IS NULL OR type = ANY($4))")
                    .execute(Tuple.of(a.groupId(), utc(a.minTime()), utc(a.maxTime()), types))
                    .replaceWithVoid());
        }
        return chain;
    }

    public Uni<Void> addApiCalls(SqlClient tx, ProjectionTables t, Collection<ApiCallsDelta> deltas) {
        int n = deltas.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        LocalDate[] months = new LocalDate[n];
        Long[] calls = new Long[n];
        int i = 0;
        for (ApiCallsDelta d : deltas) {
            groups[i] = d.groupId();
            months[i] = d.month();
            calls[i] = d.calls();
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.apiCallsMonthly() + " AS a (group_id, month, calls)"
                        + " SELECT * FROM unnest($1::uuid[], $2::date[], $3::bigint[])"
                        + " ON CONFLICT (group_id, month) DO UPDATE SET calls = a.calls + excluded.calls")
                .execute(Tuple.of(groups, months, calls))
                .replaceWithVoid();
    }

    public Uni<Void> movePositions(SqlClient tx, ProjectionTables t, Collection<Position> positions) {
        int n = positions.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        UUID[] groups = new UUID[n];
        String[] ids = new String[n];
        String[] types = new String[n];
        OffsetDateTime[] published = new OffsetDateTime[n];
        int i = 0;
        for (Position p : positions) {
            groups[i] = p.groupId();
            ids[i] = p.eventId();
            types[i] = p.eventType();
            published[i] = utc(p.publishedAt());
            i++;
        }
        return tx.preparedQuery("INSERT INTO " + t.groupPositions()
                        + " (group_id, event_id, event_type, published_at, applied_at)"
                        + " SELECT g, id, type, pub, clock_timestamp()"
                        + " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS p(g, id, type, pub)"
                        + " ON CONFLICT (group_id) DO UPDATE SET event_id = excluded.event_id,"
                        + " event_type = excluded.event_type, published_at = excluded.published_at,"
                        + " applied_at = excluded.applied_at")
                .execute(Tuple.of(groups, ids, types, published))
                .replaceWithVoid();
    }

    /** A record that could not be read, kept with its place in the topic; recording it twice changes nothing. */
    /** Deletes up to {@code limit} activity-feed rows older than {@code before}; returns how many went. */
    public Uni<Integer> pruneRecentEvents(SqlClient client, Instant before, int limit) {
        return client.preparedQuery("DELETE FROM recent_events WHERE ctid = ANY(ARRAY("
                        + "SELECT ctid FROM recent_events WHERE occurred_at < $1 LIMIT $2))")
                .execute(Tuple.of(utc(before), limit))
                .map(RowSet::rowCount);
    }

    private static <T> List<T> inserted(RowSet<Row> rows, List<T> candidates, Function<T, UUID> id) {
        Set<UUID> ids = new HashSet<>(rows.size() * 2);
        for (Row row : rows) {
            ids.add(row.getUUID(0));
        }
        List<T> inserted = new ArrayList<>(ids.size());
        for (T candidate : candidates) {
            if (ids.remove(id.apply(candidate))) {
                inserted.add(candidate);
            }
        }
        return inserted;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
