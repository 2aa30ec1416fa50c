package dev.strata.model.events.payload;

import java.util.UUID;

/** {@code data} of {@code batch_import}: the one activity-log entry that describes a whole batch. */
public record BatchImported(
        @Required UUID batchId, String kind, int total, int success, int failed, UUID importJobId) {}
