package dev.strata.ingest.service;

import dev.strata.model.problem.FieldError;
import java.util.List;
import java.util.Objects;

/**
 * A batch body after parsing and per-item checks, whatever its format.
 *
 * @param items  per item, in input order: its checked form, or null where it failed
 * @param errors the failed items' errors, in input order
 * @param <T>    the checked form of an item
 */
public record ParsedBatch<T>(List<T> items, List<FieldError> errors, BatchOptions options) {

    public int size() {
        return items.size();
    }

    public long validCount() {
        return items.stream().filter(Objects::nonNull).count();
    }
}
