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

/** What the relationship, knowledge and activity reads answer with. */
public final class GraphViews {

    private GraphViews() {
    }

    /**
     * A connection seen from the thing asked about: {@code direction} says which end that thing is, and
     * {@code related} is the thing at the other end.
     */
    public record RelationshipView(UUID id, UUID groupId, UUID fromThingId, String fromType, UUID toThingId,
                                   String toType, String relationshipType, @JsonRawValue String metadata,
                                   Double strength, Instant validFrom, Instant validTo, Instant createdAt,
                                   String direction, ThingView related) {

        static RelationshipView of(ConnectionRow c, ThingView related) {
            return new RelationshipView(c.id(), c.groupId(), c.fromId(), c.fromType(), c.toId(), c.toType(),
                    c.relationshipType(), c.metadataJson(), c.strength(), c.validFrom(), c.validTo(), c.createdAt(),
                    c.direction(), related);
        }
    }

    /** Counts per relationship type in each direction. */
    public record ConnectionTypes(Map<String, Long> inbound, Map<String, Long> outbound) {
    }

    /**
     * {@code inbound} and {@code outbound} list the newest connections (at most {@code relationshipsPreview} each;
     * page through the rest with /relationships); the counts are totals.
     */
    public record Relationships(List<RelationshipView> inbound, List<RelationshipView> outbound, long inboundCount,
                                long outboundCount, long totalConnections, ConnectionTypes connectionTypes) {
    }

    public record KnowledgeView(UUID id, UUID sourceThingId, String kind, String text, int textBytes,
                                int embeddingDimensions, Instant createdAt) {

        static KnowledgeView of(KnowledgeRow k) {
            return new KnowledgeView(k.id(), k.sourceThingId(), k.kind(), k.text(), k.textBytes(),
                    k.embeddingDimensions(), k.createdAt());
        }
    }

    public record RelationshipPage(long total, int count, int limit, boolean hasMore, String nextCursor,
                                   List<RelationshipView> relationships) {
    }

    /** An event of the activity feed with the things it names. */
    public record ActivityView(String id, String type, UUID actorId, UUID targetId, Instant timestamp,
                               @JsonRawValue String metadata, Instant recordedAt,
                               @JsonProperty("_actor") ThingView actor, @JsonProperty("_target") ThingView target) {

        static ActivityView of(EventRow e, ThingView actor, ThingView target) {
            return new ActivityView(e.id(), e.type(), e.actorId(), e.targetId(), e.occurredAt(), e.metadataJson(),
                    e.recordedAt(), actor, target);
        }
    }

    /**
     * {@code totalEvents} counts every activity event the thing took part in (as actor or target), all time;
     * {@code activity} lists the newest of them still in the recent window.
     */
    public record ActivityPage(UUID thingId, long totalEvents, List<ActivityView> activity) {
    }
}
