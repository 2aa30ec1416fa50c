package dev.strata.model.events.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** {@code data} of {@code connection_created}; carries both ends' thing types for projections. */
public record ConnectionCreated(
        UUID id,
        UUID fromThingId,
        String fromType,
        UUID toThingId,
        String toType,
        String relationshipType,
        JsonNode metadata,
        Double strength,
        Instant validFrom,
        Instant validTo,
        Instant createdAt,
        UUID batchId) {}
