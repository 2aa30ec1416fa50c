package dev.strata.metrics.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What an event means to the projections, read once from its envelope. */
public final class Facts {

    private Facts() {}

    public sealed interface Fact
            permits NewThing, ThingChange, NewConnection, NewKnowledge, Activity, ApiCalls, Archived {
        UUID groupId();
    }

    public record NewThing(
            UUID groupId,
            UUID id,
            String type,
            String name,
            String status,
            String propertiesJson,
            int propertiesBytes,
            Instant createdAt)
            implements Fact {}

    /** The fields a {@code thing_updated} event changed; {@code null} means unchanged. */
    public record ThingChange(
            UUID groupId,
            UUID id,
            String name,
            String propertiesJson,
            Integer propertiesBytes,
            String status,
            Instant updatedAt)
            implements Fact {

        /** This change followed by {@code later}, as one. */
        public ThingChange then(ThingChange later) {
            return new ThingChange(
                    groupId,
                    id,
                    later.name != null ? later.name : name,
                    later.propertiesJson != null ? later.propertiesJson : propertiesJson,
                    later.propertiesJson != null ? later.propertiesBytes : propertiesBytes,
                    later.status != null ? later.status : status,
                    later.updatedAt);
        }
    }

    public record NewConnection(
            UUID groupId,
            UUID id,
            UUID fromId,
            String fromType,
            UUID toId,
            String toType,
            String relationshipType,
            String metadataJson,
            Double strength,
            Instant validFrom,
            Instant validTo,
            Instant createdAt)
            implements Fact {}

    public record NewKnowledge(
            UUID groupId,
            UUID id,
            UUID sourceThingId,
            String kind,
            String text,
            int textBytes,
            int embeddingDimensions,
            Instant createdAt)
            implements Fact {

        public long storageBytes() {
            return textBytes + 4L * embeddingDimensions;
        }
    }

    /**
     * An entry of the activity log; {@code revenue} is the {@code amount} and {@code currency} of a
     * {@code revenue_generated} event, null for every other type.
     */
    public record Activity(
            UUID groupId,
            String eventId,
            String type,
            UUID actorId,
            UUID targetId,
            Instant occurredAt,
            String metadataJson,
            Instant recordedAt,
            Revenue revenue)
            implements Fact {}

    /** An amount of money in one currency (ISO 4217 code); amounts of different currencies are never added. */
    public record Revenue(String currency, BigDecimal amount) {}

    public record ApiCalls(UUID groupId, Instant at, long calls) implements Fact {}

    /** Events of the group between the two times (of these types, or all when empty) left the hot store. */
    public record Archived(UUID groupId, Instant minTime, Instant maxTime, List<String> types) implements Fact {}
}
