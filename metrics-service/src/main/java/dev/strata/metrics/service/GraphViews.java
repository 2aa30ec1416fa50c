package dev.strata.metrics.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.strata.metrics.store.GraphReadStore.ConnectionRow;
import dev.strata.metrics.store.GraphReadStore.EventRow;
import dev.strata.metrics.store.GraphReadStore.KnowledgeRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the relationship, knowledge and activity reads answer with. */
public final class GraphViews {

    private GraphViews() {}

    /**
     * A connection seen from the thing asked about: {@code direction} says which end that thing is, and
     * {@code related} is the thing at the other end.
     */
    @Schema(description = "A connection seen from the thing asked about, with the thing at its other end")
    public record RelationshipView(
            UUID id,
            UUID groupId,
            UUID fromThingId,
            String fromType,
            UUID toThingId,
            String toType,
            String relationshipType,

            @Schema(type = SchemaType.OBJECT, nullable = true, description = "free-form JSON object, as written")
            @JsonRawValue
            String metadata,

            @Schema(description = "0..1, null when not given")
            Double strength,

            Instant validFrom,
            Instant validTo,
            Instant createdAt,

            @Schema(
                    description = "which end the thing asked about is: inbound (it is the "
                            + "to end) or outbound (the from end)",
                    enumeration = {"inbound", "outbound"})
            String direction,

            @Schema(description = "the thing at the other end")
            ThingView related) {

        static RelationshipView of(ConnectionRow c, ThingView related) {
            return new RelationshipView(
                    c.id(),
                    c.groupId(),
                    c.fromId(),
                    c.fromType(),
                    c.toId(),
                    c.toType(),
                    c.relationshipType(),
                    c.metadataJson(),
                    c.strength(),
                    c.validFrom(),
                    c.validTo(),
                    c.createdAt(),
                    c.direction(),
                    related);
        }
    }

    /** Counts per relationship type in each direction. */
    @Schema(description = "Connections per relationship type, in each direction")
    public record ConnectionTypes(Map<String, Long> inbound, Map<String, Long> outbound) {}

    /**
     * {@code inbound} and {@code outbound} list the newest connections (at most {@code relationshipsPreview} each;
     * page through the rest with /relationships); the counts are totals.
     */
    @Schema(
            description = "The newest connections in each direction (page the rest with /relationships) and the "
                    + "all-time counts")
    public record Relationships(
            List<RelationshipView> inbound,
            List<RelationshipView> outbound,
            long inboundCount,
            long outboundCount,
            long totalConnections,
            ConnectionTypes connectionTypes) {}

    @Schema(description = "A knowledge item of the thing (its text, and the size of its embedding)")
    public record KnowledgeView(
            UUID id,
            UUID sourceThingId,
            @Schema(enumeration = {"label", "chunk"}) String kind,
            String text,
            int textBytes,
            int embeddingDimensions,
            Instant createdAt) {

        static KnowledgeView of(KnowledgeRow k) {
            return new KnowledgeView(
                    k.id(),
                    k.sourceThingId(),
                    k.kind(),
                    k.text(),
                    k.textBytes(),
                    k.embeddingDimensions(),
                    k.createdAt());
        }
    }

    @Schema(description = "One page of relationships, newest first")
    public record RelationshipPage(
            long total,
            int count,
            int limit,
            boolean hasMore,
            String nextCursor,
            List<RelationshipView> relationships) {}

    /** An event of the activity feed with the things it names. */
    @Schema(description = "An activity event with the things it names (null where it names none)")
    public record ActivityView(
            String id,
            String type,
            UUID actorId,
            UUID targetId,
            @Schema(description = "when it happened") Instant timestamp,

            @Schema(type = SchemaType.OBJECT, nullable = true, description = "the event's metadata, as logged")
            @JsonRawValue
            String metadata,

            @Schema(description = "when ingest recorded it") Instant recordedAt,
            @JsonProperty("_actor") ThingView actor,
            @JsonProperty("_target") ThingView target) {

        static ActivityView of(EventRow e, ThingView actor, ThingView target) {
            return new ActivityView(
                    e.id(),
                    e.type(),
                    e.actorId(),
                    e.targetId(),
                    e.occurredAt(),
                    e.metadataJson(),
                    e.recordedAt(),
                    actor,
                    target);
        }
    }

    /**
     * {@code totalEvents} counts every activity event the thing took part in (as actor or target), all time;
     * {@code activity} lists the newest of them still in the recent window.
     */
    @Schema(description = "A thing's recent activity, newest first, and its all-time event count")
    public record ActivityPage(UUID thingId, long totalEvents, List<ActivityView> activity) {}
}
