package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.store.GraphReadStore;
import dev.strata.metrics.store.GraphReadStore.ThingRow;
import dev.strata.metrics.store.StatsReadStore;
import dev.strata.metrics.store.StatsReadStore.CountRow;
import dev.strata.metrics.store.StatsReadStore.ThingActivityRow;
import dev.strata.model.ontology.Ontology;
import dev.strata.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** A creator's statistics from five primary-key reads of the rollups, whatever its number of events. */
@ApplicationScoped
public class CreatorStatsService {

    public static final String FOLLOWING = "following";
    public static final String AUTHORED = "authored";

    private final Pool pool;
    private final GraphReadStore graph;
    private final StatsReadStore stats;
    private final Ontology ontology;
    private final Clock clock;
    private final MetricsConfig config;
    private final RevenueConverter revenue;

    public CreatorStatsService(
            Pool pool,
            GraphReadStore graph,
            StatsReadStore stats,
            Ontology ontology,
            Clock clock,
            MetricsConfig config,
            RevenueConverter revenue) {
        this.pool = pool;
        this.graph = graph;
        this.stats = stats;
        this.ontology = ontology;
        this.clock = clock;
        this.config = config;
        this.revenue = revenue;
    }

    public record Result(ThingView thing, CreatorStats computed) {}

    public Uni<Result> stats(UUID groupId, UUID creatorId) {
        long started = System.nanoTime();
        // One connection, five pipelined primary-key reads.
        return pool.withConnection(c -> Uni.combine()
                        .all()
                        .unis(
                                graph.thing(c, groupId, creatorId),
                                stats.thingActivity(c, groupId, creatorId),
                                stats.actorEventTypes(c, groupId, creatorId),
                                stats.connectionCounts(c, groupId, creatorId),
                                stats.thingRevenue(c, groupId, creatorId))
                        .asTuple())
                .map(all -> {
                    ThingRow thing = all.getItem1();
                    if (thing == null || !ontology.isPersonLike(thing.type())) {
                        throw ProblemException.notFound(
                                thing == null
                                        ? "No creator " + creatorId + " in this group."
                                        : "Thing " + creatorId + " is a " + thing.type()
                                                + ", not a creator or other person.");
                    }
                    return new Result(
                            ThingView.of(thing),
                            compute(thing, all.getItem2(), all.getItem3(), all.getItem4(), all.getItem5(), started));
                });
    }

    private CreatorStats compute(
            ThingRow thing,
            ThingActivityRow activity,
            List<CountRow> types,
            List<CountRow> connections,
            Map<String, BigDecimal> revenueByCurrency,
            long started) {
        Windows windows = Windows.at(clock, config.activeWindow());
        long followers = 0;
        long content = 0;
        for (CountRow c : connections) {
            if ("inbound".equals(c.key()) && FOLLOWING.equals(c.subKey())) {
                followers += c.count();
            } else if ("outbound".equals(c.key()) && AUTHORED.equals(c.subKey())) {
                content += c.count();
            }
        }
        Map<String, Long> byType = new TreeMap<>();
        for (CountRow t : types) {
            byType.put(t.key(), t.count());
        }
        boolean active =
                activity.lastActiveAt() != null && !activity.lastActiveAt().isBefore(windows.activeSince());
        long age =
                Math.max(0, Duration.between(thing.createdAt(), windows.now()).toDays());
        RevenueFigures money = revenue.convert(revenueByCurrency);
        long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
        return new CreatorStats(
                money.converted(),
                revenue.reportingCurrency(),
                money.byCurrency(),
                money.unconverted(),
                followers,
                activity.lastActiveAt(),
                content,
                Ratios.ratio(followers, content),
                activity.eventsAsActor(),
                byType,
                active,
                age,
                Ratios.ratio(money.converted(), content),
                windows.now(),
                elapsed);
    }
}
