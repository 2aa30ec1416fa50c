package dev.strata.quota.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/**
 * ingest's answer to {@code POST /groups/{g}/batches/{batchId}:resolve}: {@code committed}, or {@code abandoned}
 * (the write did not commit and now never will). Other members are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchOutcome(UUID batchId, String outcome) {

    public static final String COMMITTED = "committed";
    public static final String ABANDONED = "abandoned";
}
