package dev.strata.model.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code data} of {@code knowledge_created}. The embedding vector itself stays in ingest; its dimension count
 * travels, since storage is text bytes + 4 bytes per dimension.
 */
public record KnowledgeCreated(
        @Required UUID id,
        @Required UUID sourceThingId,
        String kind,
        String text,
        int textBytes,
        int embeddingDimensions,
        Instant createdAt,
        UUID batchId) {

    public long storageBytes() {
        return textBytes + 4L * embeddingDimensions;
    }
}
