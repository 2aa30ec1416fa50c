package dev.strata.ingest.service;

import dev.strata.model.problem.FieldError;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a batch (the seed's shape): ids in input order with null where an item failed, the errors by
 * index and field, a summary, the batch id, and {@code position}, the id of the batch's last event, which a
 * client can hand to metrics-service to read its own writes.
 */
public record BatchResult(List<UUID> created, int failed, List<FieldError> errors, Summary summary, UUID batchId,
                          String position) {

    public record Summary(int total, int success, int failed, double successRate) {

        public static Summary of(int total, int success) {
            double rate = total == 0 ? 0.0 : Math.round(success * 10000.0 / total) / 100.0;
            return new Summary(total, success, total - success, rate);
        }
    }
}
