package dev.strata.model.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** {@code data} of {@code thing_updated}: each changed field with its old and new value (the audit trail). */
public record ThingUpdated(
        @Required UUID id,
        String type,
        Map<String, Change> changes,
        int propertiesBytes,
        int previousPropertiesBytes,
        Instant updatedAt,
        UUID batchId) {

    public record Change(Object from, Object to) {}
}
