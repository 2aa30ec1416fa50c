package dev.strata.archival.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One event of the log with all its columns, as archived. {@code metadataJson} is the stored JSON text, carried
 * verbatim so numbers keep their exact value on the way to S3 and back.
 */
public record EventRow(
        UUID id,
        UUID groupId,
        String type,
        UUID actorId,
        UUID targetId,
        Instant timestamp,
        String metadataJson,
        Instant recordedAt) {}
