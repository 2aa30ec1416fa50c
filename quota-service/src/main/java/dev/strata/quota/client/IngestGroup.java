package dev.strata.quota.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * What quota-service reads of ingest's {@code GET /groups/{g}}: the plan in force and when it was set
 * ({@code planChangedAt}, the time of the group's latest plan event). An ingest that predates
 * {@code planChangedAt} sends only {@code updatedAt}, which it sets with every plan change and nothing else.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IngestGroup(UUID id, String name, String plan, Instant planChangedAt, Instant updatedAt) {

    /** When the plan was set, or null if ingest did not say. */
    public Instant planAt() {
        return planChangedAt != null ? planChangedAt : updatedAt;
    }
}
