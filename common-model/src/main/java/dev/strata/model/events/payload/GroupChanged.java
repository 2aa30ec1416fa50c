package dev.strata.model.events.payload;

import java.time.Instant;
import java.util.UUID;

/** {@code data} of {@code group_created} and {@code group_plan_changed}. */
public record GroupChanged(UUID id, String name, String plan, String previousPlan, Instant at) {}
