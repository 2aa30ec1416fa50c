package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import dev.strata.metrics.service.GroupMetrics.TopContent;
import dev.strata.metrics.store.GraphReadStore;
import dev.strata.metrics.store.GraphReadStore.ThingRow;
import dev.strata.metrics.store.StatsReadStore;
import dev.strata.metrics.store.StatsReadStore.DailyRow;
import dev.strata.metrics.store.StatsReadStore.GroupTotalsRow;
import dev.strata.metrics.store.StatsReadStore.ThingTypeRow;
import dev.strata.model.ontology.Ontology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A group's metrics from eight small reads: its totals, its counts per thing type, its daily rollup rows of the
 * last weeks (at most a few dozen days x event types), this month's API calls, the top content (at most
 * {@code topContent} rows per content type, from an index in that order), its recently active people, and its
 * revenue per currency, all-time and this month.
 */
@ApplicationScoped
public class GroupMetricsService {

    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private final Pool pool;
    private final GraphReadStore graph;
    private final StatsReadStore stats;
    private final Ontology ontology;
    private final Clock clock;
    private final MetricsConfig config;
    private final RevenueConverter revenue;

    public GroupMetricsService(
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

    public Uni<GroupMetrics> metrics(UUID groupId) {
        Windows windows = Windows.at(clock, config.activeWindow());
        String[] people = ontology.thingTypesIn(Ontology.PERSON).toArray(String[]::new);
        String[] content = ontology.thingTypesIn(Ontology.CONTENT).toArray(String[]::new);
        // One connection, eight pipelined reads.
        return pool.withConnection(c -> Uni.combine()
                        .all()
                        .unis(
                                stats.groupTotals(c, groupId),
                                stats.thingTypes(c, groupId),
                                stats.daily(c, groupId, windows.earliestDay(), windows.today()),
                                stats.apiCalls(c, groupId, windows.monthStart()),
                                graph.mostConnected(c, groupId, content, config.topContent()),
                                stats.activeActors(c, groupId, people, windows.weekStart()),
                                stats.groupRevenue(c, groupId),
                                stats.monthRevenue(c, groupId, windows.monthStart()))
                        .asTuple())
                .map(all -> compute(
                        windows,
                        all.getItem1(),
                        all.getItem2(),
                        all.getItem3(),
                        all.getItem4(),
                        all.getItem5(),
                        all.getItem6(),
                        revenue.convert(all.getItem7()),
                        revenue.convert(all.getItem8())));
    }

    private GroupMetrics compute(
            Windows windows,
            GroupTotalsRow totals,
            List<ThingTypeRow> types,
            List<DailyRow> days,
            long apiCalls,
            List<ThingRow> top,
            long activeUsers,
            RevenueFigures allTime,
            RevenueFigures thisMonth) {
        Set<String> people = ontology.thingTypesIn(Ontology.PERSON);
        Set<String> content = ontology.thingTypesIn(Ontology.CONTENT);
        long users = 0;
        long contentThings = 0;
        long contentConnections = 0;
        for (ThingTypeRow type : types) {
            if (people.contains(type.thingType())) {
                users += type.things();
            }
            if (content.contains(type.thingType())) {
                contentThings += type.things();
                contentConnections += type.connectionEnds();
            }
        }
        long eventsThisMonth = 0;
        long eventsThisWeek = 0;
        long eventsWeekBefore = 0;
        for (DailyRow day : days) {
            if (windows.inMonth(day.day())) {
                eventsThisMonth += day.events();
            }
            if (windows.inWeek(day.day())) {
                eventsThisWeek += day.events();
            } else if (windows.inPreviousWeek(day.day())) {
                eventsWeekBefore += day.events();
            }
        }
        long storage = totals.propertiesBytes() + totals.knowledgeBytes();
        List<TopContent> topContent = top.stream()
                .map(t -> new TopContent(t.id(), t.name(), t.type(), t.connectionCount(), t.createdAt()))
                .toList();
        boolean active = totals.lastEventAt() != null && !totals.lastEventAt().isBefore(windows.activeSince());
        return new GroupMetrics(
                users,
                activeUsers,
                totals.things(),
                storage,
                Ratios.ratio(BigDecimal.valueOf(storage), MIB),
                apiCalls,
                thisMonth.converted(),
                revenue.reportingCurrency(),
                thisMonth.byCurrency(),
                allTime.byCurrency(),
                allTime.unconverted(),
                eventsThisMonth,
                eventsThisWeek,
                topContent,
                Ratios.ratio(contentConnections, contentThings),
                Ratios.ratio(totals.events(), users),
                Ratios.ratio(allTime.converted(), users),
                active,
                eventsThisWeek > eventsWeekBefore,
                windows.now());
    }
}
