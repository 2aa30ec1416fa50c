package dev.strata.ingest.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the OpenAPI document says alike about every batch endpoint: the problems they share and the option of those
 * that take only {@code atomic}. The bodies themselves are read by {@link BatchIntake}'s streaming parser, not bound
 * to the request records the resources name; those records describe the JSON for clients.
 */
final class BatchDocs {

    private BatchDocs() {}

    @Schema(description = "Batch options; NDJSON bodies take them from the query (?atomic=true)", example = """
                    {"atomic": true}""")
    record AtomicOptions(
            @Schema(
                    description = "true: one invalid item rejects the whole batch (422) and nothing is written; "
                            + "default false: invalid items are reported, the valid ones written")
            Boolean atomic) {}

    static final String OK = "the batch as written: ids in input order (null where an item failed), the item "
            + "errors by index and field, the summary; replayed as first answered for a repeated Idempotency-Key "
            + "(header Idempotent-Replayed: true)";
    static final String NOT_FOUND = "not-found: no such group";
    static final String CONFLICT = "conflict: the Idempotency-Key was already used for a different request; "
            + "quota-exceeded: the batch would pass a hard limit of the group's plan (members metric, current, "
            + "limit, requested, upgrade), nothing written";
    static final String CONFLICT_WITHOUT_QUOTA =
            "conflict: the Idempotency-Key was already used for a different " + "request";
    static final String TOO_LARGE = "payload-too-large: the body passed strata.ingest.max-batch-body-bytes (64 MiB), "
            + "as the bytes arrive, or it holds more than 10,000 items (refused at item 10,001)";
    static final String INVALID = "validation-failed: no item of the batch is valid, or it is atomic and one is not, "
            + "or it has no items, or its options are invalid; errors[] name each item's index and field; nothing "
            + "written";
}
