package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.strata.metrics.store.GraphReadStore.ThingRow;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A thing as ingest-service shows it; {@code properties} is passed through as the stored JSON. */
@Schema(description = "A thing as ingest-service stores it")
public record ThingView(
        UUID id,
        UUID groupId,

        @Schema(description = "a thing type of the ontology (creator, user, video, ...)")
        String type,

        String name,

        @Schema(type = SchemaType.OBJECT, description = "free-form JSON object, as written") @JsonRawValue
        String properties,

        @Schema(enumeration = {"draft", "active", "published", "archived"})
        String status,

        Instant createdAt,
        Instant updatedAt) {

    public static ThingView of(ThingRow row) {
        return row == null
                ? null
                : new ThingView(
                        row.id(),
                        row.groupId(),
                        row.type(),
                        row.name(),
                        row.propertiesJson(),
                        row.status(),
                        row.createdAt(),
                        row.updatedAt());
    }
}
