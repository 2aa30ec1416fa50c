package dev.strata.model.events.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** {@code data} of {@code connection_created}; carries both ends' thing types for projections. */
public record ConnectionCreated(
        @Required UUID id,
        @Required UUID fromThingId,
        @Required String fromType,
        @Required UUID toThingId,
        @Required String toType,
        @Required String relationshipType,
        JsonNode metadata,
        Double strength,
        Instant validFrom,
        Instant validTo,
        Instant createdAt,
        UUID batchId) {}
