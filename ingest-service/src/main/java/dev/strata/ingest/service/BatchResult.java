package dev.strata.ingest.service;

import dev.strata.model.problem.FieldError;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a batch (the seed's shape): ids in input order with null where an item failed, the errors by
 * index and field, a summary, the batch id, and {@code position}, the id of the batch's last event, which a
 * client can hand to metrics-service to read its own writes.
 */
@Schema(description = "The answer to a batch of things, connections or knowledge", example = """
        {"created": ["0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6", null, "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f7"],
         "failed": 1, "errors": [{"index": 1, "field": "name", "error": "must not be blank"}],
         "summary": {"total": 3, "success": 2, "failed": 1, "successRate": 66.67},
         "batchId": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e600", "position": "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e601"}""")
public record BatchResult(
        @Schema(description = "each item's new id in input order; null where the item failed")
        List<UUID> created,

        @Schema(description = "how many items failed") int failed,

        @Schema(description = "the failures, by item index (from 0) and field")
        List<FieldError> errors,

        Summary summary,

        @Schema(description = "the batch's id, also the reference of its quota reservation")
        UUID batchId,

        @Schema(
                description =
                        "the id of the batch's last event: hand it to metrics-service to read your own " + "writes")
        String position) {

    @Schema(description = "Counts of the batch; successRate in percent, to 0.01")
    public record Summary(int total, int success, int failed, double successRate) {

        public static Summary of(int total, int success) {
            double rate = total == 0 ? 0.0 : Math.round(success * 10000.0 / total) / 100.0;
            return new Summary(total, success, total - success, rate);
        }
    }
}
