package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;
import java.util.List;

/**
 * Checks one item of a batch or an import as soon as it is parsed and keeps only what the write needs of it, so
 * a batch never holds more than one item's JSON tree at a time, whatever its size.
 *
 * @param <T> the item's checked form
 */
@FunctionalInterface
public interface ItemValidator<T> {

    /**
     * The item's checked form, or null after adding its errors (at {@code index}) to {@code errors}. The item is a
     * parsed JSON value whose texts hold no NUL and whose numbers are all finite (the parser checked).
     */
    T validate(JsonNode item, int index, List<FieldError> errors);
}
