package dev.strata.model.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code data} of {@code group_created} and {@code group_plan_changed}. */
public record GroupChanged(
        @Required UUID id, String name, @Required String plan, String previousPlan, Instant at) {}
