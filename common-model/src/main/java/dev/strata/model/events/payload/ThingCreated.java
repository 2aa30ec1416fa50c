package dev.strata.model.events.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** {@code data} of {@code thing_created}: the whole thing, so projections need no call back to ingest. */
public record ThingCreated(
        @Required UUID id,
        @Required String type,
        @Required String name,
        String status,
        JsonNode properties,
        int propertiesBytes,
        Instant createdAt,
        UUID batchId) {}
