package dev.strata.model.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One validation failure: the item's position in the batch (null for a request-level field), the field path
 * and what is wrong with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(Integer index, String field, String error) {

    public static FieldError of(String field, String error) {
        return new FieldError(null, field, error);
    }

    public static FieldError at(int index, String field, String error) {
        return new FieldError(index, field, error);
    }
}
