package dev.strata.metrics.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A group's activity events per UTC day (the day each event happened) and event type, every day of the window
 * present, days without events as zeros, so a chart needs no gap filling.
 *
 * @param from  the window's first day, {@code to - days + 1}
 * @param to    today (UTC), by the service clock
 * @param types the event types seen in the window, sorted
 * @param days  one entry per day from {@code from} to {@code to}, in order
 */
@Schema(description = "A group's activity events per UTC day (the day each event happened) and event type")
public record EventTimeline(
        UUID groupId,

        @Schema(description = "the window's first day: to - days + 1")
        LocalDate from,

        @Schema(description = "today (UTC)") LocalDate to,

        @Schema(description = "the event types seen in the window, sorted")
        List<String> types,

        @Schema(description = "every day of the window, oldest first, days without events " + "included")
        List<EventDay> days) {

    /** One day: its events, and per type of the window (every one of them, 0 where none that day). */
    @Schema(description = "One UTC day of the timeline")
    public record EventDay(
            LocalDate date,

            @Schema(description = "activity events that happened that day")
            long total,

            @Schema(description = "events per type, every type of the window present (0 where none)")
            Map<String, Long> byType) {}
}
