package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.service.GraphViews.ActivityPage;
import dev.strata.metrics.service.GraphViews.ActivityView;
import dev.strata.metrics.service.GraphViews.ConnectionTypes;
import dev.strata.metrics.service.GraphViews.KnowledgeView;
import dev.strata.metrics.service.GraphViews.RelationshipPage;
import dev.strata.metrics.service.GraphViews.RelationshipView;
import dev.strata.metrics.service.GraphViews.Relationships;
import dev.strata.metrics.store.GraphReadStore;
import dev.strata.metrics.store.GraphReadStore.ConnectionCursor;
import dev.strata.metrics.store.GraphReadStore.ConnectionRow;
import dev.strata.metrics.store.GraphReadStore.EventRow;
import dev.strata.metrics.store.GraphReadStore.ThingRow;
import dev.strata.metrics.store.StatsReadStore;
import dev.strata.metrics.store.StatsReadStore.CountRow;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** A thing with its relationships and knowledge, its relationships page by page, and its activity feed. */
@ApplicationScoped
public class ThingGraphService {

    /** Which ends of a connection a page lists. */
    public enum Direction {
        INBOUND,
        OUTBOUND,
        BOTH;

        boolean inbound() {
            return this != OUTBOUND;
        }

        boolean outbound() {
            return this != INBOUND;
        }
    }

    private final Pool pool;
    private final GraphReadStore graph;
    private final StatsReadStore stats;
    private final MetricsConfig config;

    public ThingGraphService(Pool pool, GraphReadStore graph, StatsReadStore stats, MetricsConfig config) {
        this.pool = pool;
        this.graph = graph;
        this.stats = stats;
        this.config = config;
    }

    public record ThingDetail(ThingView thing, Relationships relationships, List<KnowledgeView> knowledge) {}

    public Uni<ThingDetail> thing(UUID groupId, UUID thingId, boolean withRelationships, boolean withKnowledge) {
        return pool.withConnection(client -> requireThing(client, groupId, thingId)
                .chain(thing -> {
                    Uni<Relationships> relationships = withRelationships
                            ? relationships(client, groupId, thingId)
                            : Uni.createFrom().nullItem();
                    Uni<List<KnowledgeView>> knowledge = withKnowledge
                            ? graph.knowledge(client, groupId, thingId, config.knowledgeLimit())
                                    .map(rows ->
                                            rows.stream().map(KnowledgeView::of).toList())
                            : Uni.createFrom().nullItem();
                    return Uni.combine()
                            .all()
                            .unis(relationships, knowledge)
                            .asTuple()
                            .map(both -> new ThingDetail(ThingView.of(thing), both.getItem1(), both.getItem2()));
                }));
    }

    private Uni<Relationships> relationships(SqlClient client, UUID groupId, UUID thingId) {
        int preview = config.relationshipsPreview();
        return Uni.combine()
                .all()
                .unis(
                        stats.connectionCounts(client, groupId, thingId),
                        graph.connections(client, groupId, thingId, true, false, null, null, preview),
                        graph.connections(client, groupId, thingId, false, true, null, null, preview))
                .asTuple()
                .chain(all -> {
                    List<ConnectionRow> in = all.getItem2();
                    List<ConnectionRow> out = all.getItem3();
                    List<ConnectionRow> both = new ArrayList<>(in);
                    both.addAll(out);
                    return withRelated(client, groupId, thingId, both).map(views -> {
                        Map<String, Long> inboundTypes = new TreeMap<>();
                        Map<String, Long> outboundTypes = new TreeMap<>();
                        for (CountRow c : all.getItem1()) {
                            ("inbound".equals(c.key()) ? inboundTypes : outboundTypes)
                                    .merge(c.subKey(), c.count(), Long::sum);
                        }
                        long inCount = inboundTypes.values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                        long outCount = outboundTypes.values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                        return new Relationships(
                                views.subList(0, in.size()),
                                views.subList(in.size(), views.size()),
                                inCount,
                                outCount,
                                inCount + outCount,
                                new ConnectionTypes(inboundTypes, outboundTypes));
                    });
                });
    }

    /**
     * One page of relationships, newest first. {@code total} counts every relationship that matches (from the
     * rollup, not by counting rows); paging with {@code nextCursor} visits each exactly once.
     */
    public Uni<RelationshipPage> relationships(
            UUID groupId, UUID thingId, Direction direction, String type, ConnectionCursor after, int limit) {
        return pool.withConnection(client -> requireThing(client, groupId, thingId)
                .chain(thing -> Uni.combine()
                        .all()
                        .unis(
                                stats.connectionCounts(client, groupId, thingId),
                                graph.connections(
                                        client,
                                        groupId,
                                        thingId,
                                        direction.inbound(),
                                        direction.outbound(),
                                        type,
                                        after,
                                        limit + 1))
                        .asTuple())
                .chain(all -> {
                    long total = 0;
                    for (CountRow c : all.getItem1()) {
                        boolean wanted = "inbound".equals(c.key()) ? direction.inbound() : direction.outbound();
                        if (wanted && (type == null || type.equals(c.subKey()))) {
                            total += c.count();
                        }
                    }
                    List<ConnectionRow> rows = all.getItem2();
                    boolean more = rows.size() > limit;
                    List<ConnectionRow> page = more ? rows.subList(0, limit) : rows;
                    long matching = total;
                    return withRelated(client, groupId, thingId, page).map(views -> {
                        String next = null;
                        if (more) {
                            ConnectionRow last = page.get(page.size() - 1);
                            next = Cursors.encode(new ConnectionCursor(last.createdAt(), last.id(), last.direction()));
                        }
                        return new RelationshipPage(matching, views.size(), limit, more, next, views);
                    });
                }));
    }

    public Uni<ActivityPage> activity(UUID groupId, UUID thingId, int limit) {
        return pool.withConnection(client -> requireThing(client, groupId, thingId)
                .chain(thing -> Uni.combine()
                        .all()
                        .unis(
                                stats.thingActivity(client, groupId, thingId),
                                graph.activity(client, groupId, thingId, limit))
                        .asTuple())
                .chain(all -> {
                    List<EventRow> events = all.getItem2();
                    Set<UUID> ids = new LinkedHashSet<>();
                    for (EventRow e : events) {
                        if (e.actorId() != null) {
                            ids.add(e.actorId());
                        }
                        if (e.targetId() != null) {
                            ids.add(e.targetId());
                        }
                    }
                    return graph.things(client, groupId, ids.toArray(UUID[]::new))
                            .map(things -> new ActivityPage(
                                    thingId,
                                    all.getItem1().eventsInvolving(),
                                    events.stream()
                                            .map(e -> ActivityView.of(
                                                    e,
                                                    ThingView.of(things.get(e.actorId())),
                                                    ThingView.of(things.get(e.targetId()))))
                                            .toList()));
                }));
    }

    private Uni<ThingRow> requireThing(SqlClient client, UUID groupId, UUID thingId) {
        return graph.thing(client, groupId, thingId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("No thing " + thingId + " in this group."));
    }

    private Uni<List<RelationshipView>> withRelated(
            SqlClient client, UUID groupId, UUID thingId, List<ConnectionRow> rows) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (ConnectionRow c : rows) {
            ids.add(other(c, thingId));
        }
        return graph.things(client, groupId, ids.toArray(UUID[]::new))
                .map(things -> rows.stream()
                        .map(c -> RelationshipView.of(c, ThingView.of(things.get(other(c, thingId)))))
                        .toList());
    }

    private static UUID other(ConnectionRow c, UUID thingId) {
        return "inbound".equals(c.direction()) ? c.fromId() : c.toId();
    }
}
