package dev.strata.model.events.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code data} of an event from the activity log ({@code revenue_generated}, {@code content_event},
 * {@code user_login}, ...): the envelope's {@code time} is when it happened, {@code recordedAt} when Strata
 * stored it.
 */
public record ActivityRecorded(UUID actorId, UUID targetId, JsonNode metadata, Instant recordedAt) {}
