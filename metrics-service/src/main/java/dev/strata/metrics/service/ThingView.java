package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.strata.metrics.store.GraphReadStore.ThingRow;

import java.time.Instant;
import java.util.UUID;

/** A thing as ingest-service shows it; {@code properties} is passed through as the stored JSON. */
public record ThingView(UUID id, UUID groupId, String type, String name, @JsonRawValue String properties,
                        String status, Instant createdAt, Instant updatedAt) {

    public static ThingView of(ThingRow row) {
        return row == null ? null : new ThingView(row.id(), row.groupId(), row.type(), row.name(),
                row.propertiesJson(), row.status(), row.createdAt(), row.updatedAt());
    }
}
