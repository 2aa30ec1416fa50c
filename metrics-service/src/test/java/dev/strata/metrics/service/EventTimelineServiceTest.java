package dev.strata.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.metrics.service.EventTimeline.EventDay;
import dev.strata.metrics.store.StatsReadStore.DailyRow;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTimelineServiceTest {

    private static final UUID GROUP = UUID.fromString("0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c");
    private static final LocalDate FROM = LocalDate.of(2026, 2, 27);
    private static final LocalDate TO = LocalDate.of(2026, 3, 2);

    @Test
    void shouldListEveryDayOfTheWindowWithEveryTypeSortedAndZerosWhereNone() {
        EventTimeline timeline = EventTimelineService.timeline(
                GROUP,
                FROM,
                TO,
                List.of(
                        new DailyRow(LocalDate.of(2026, 3, 2), "user_login", 3),
                        new DailyRow(LocalDate.of(2026, 2, 27), "revenue_generated", 1),
                        new DailyRow(LocalDate.of(2026, 3, 2), "content_event", 2),
                        new DailyRow(LocalDate.of(2026, 2, 27), "content_event", 5)));

        assertThat(timeline.groupId()).isEqualTo(GROUP);
        assertThat(timeline.from()).isEqualTo(FROM);
        assertThat(timeline.to()).isEqualTo(TO);
        assertThat(timeline.types()).containsExactly("content_event", "revenue_generated", "user_login");
        // 2026 is no leap year: 27 and 28 February, then 1 and 2 March.
        assertThat(timeline.days())
                .containsExactly(
                        new EventDay(
                                LocalDate.of(2026, 2, 27),
                                6,
                                Map.of("content_event", 5L, "revenue_generated", 1L, "user_login", 0L)),
                        new EventDay(
                                LocalDate.of(2026, 2, 28),
                                0,
                                Map.of("content_event", 0L, "revenue_generated", 0L, "user_login", 0L)),
                        new EventDay(
                                LocalDate.of(2026, 3, 1),
                                0,
                                Map.of("content_event", 0L, "revenue_generated", 0L, "user_login", 0L)),
                        new EventDay(
                                LocalDate.of(2026, 3, 2),
                                5,
                                Map.of("content_event", 2L, "revenue_generated", 0L, "user_login", 3L)));
        assertThat(timeline.days().get(0).byType().keySet())
                .containsExactly("content_event", "revenue_generated", "user_login");
    }

    @Test
    void shouldAnswerZeroDaysAndNoTypesForAGroupWithoutEvents() {
        EventTimeline timeline = EventTimelineService.timeline(GROUP, TO, TO, List.of());

        assertThat(timeline.types()).isEmpty();
        assertThat(timeline.days()).containsExactly(new EventDay(TO, 0, Map.of()));
    }
}
