package dev.strata.metrics.service;

import dev.strata.metrics.service.EventTimeline.EventDay;
import dev.strata.metrics.store.StatsReadStore;
import dev.strata.metrics.store.StatsReadStore.DailyRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A group's events per day and type over the last {@code days} UTC days, from the {@code group_daily} rollup: one
 * range read of at most days x types rows, whatever the number of events.
 */
@ApplicationScoped
public class EventTimelineService {

    private final Pool pool;
    private final StatsReadStore stats;
    private final Clock clock;

    public EventTimelineService(Pool pool, StatsReadStore stats, Clock clock) {
        this.pool = pool;
        this.stats = stats;
        this.clock = clock;
    }

    public Uni<EventTimeline> timeline(UUID groupId, int days) {
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        return stats.daily(pool, groupId, from, to).map(rows -> timeline(groupId, from, to, rows));
    }

    /** Every day from {@code from} to {@code to}, each with every type of the window (0 where none). */
    static EventTimeline timeline(UUID groupId, LocalDate from, LocalDate to, List<DailyRow> rows) {
        TreeSet<String> types = new TreeSet<>();
        Map<LocalDate, Map<String, Long>> counts = new HashMap<>();
        for (DailyRow row : rows) {
            types.add(row.eventType());
            counts.computeIfAbsent(row.day(), day -> new HashMap<>()).merge(row.eventType(), row.events(), Long::sum);
        }
        List<EventDay> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Map<String, Long> ofDay = counts.getOrDefault(day, Map.of());
            Map<String, Long> byType = new LinkedHashMap<>();
            long total = 0;
            for (String type : types) {
                long n = ofDay.getOrDefault(type, 0L);
                byType.put(type, n);
                total += n;
            }
            days.add(new EventDay(day, total, byType));
        }
        return new EventTimeline(groupId, from, to, List.copyOf(types), days);
    }
}
