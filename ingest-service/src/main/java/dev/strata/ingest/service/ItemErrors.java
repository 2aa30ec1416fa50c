package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;

import java.util.List;
import java.util.Set;

/** Small helpers the item validators share; each records errors with the item's index and field. */
final class ItemErrors {

    private ItemErrors() {
    }

    /** Reports fields the item type does not have; unknown fields are errors, never silently dropped. */
    static void rejectUnknownFields(JsonNode item, Set<String> allowed, int index, List<FieldError> errors) {
        item.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                errors.add(FieldError.at(index, name, "unknown field"));
            }
        });
    }

    /** The text of a required string field, or null after recording why it is missing or wrong. */
    static String requiredText(JsonNode item, String field, int index, List<FieldError> errors) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            errors.add(FieldError.at(index, field, "required"));
            return null;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.at(index, field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    /** The text of an optional string field; null if absent, or after recording a wrong type. */
    static String optionalText(JsonNode item, String field, int index, List<FieldError> errors) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.at(index, field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    /** A UUID field; null after recording why it is missing or not a UUID. */
    static java.util.UUID uuid(JsonNode item, String field, boolean required, int index, List<FieldError> errors) {
        String text = required ? requiredText(item, field, index, errors) : optionalText(item, field, index, errors);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() != 36) {
                throw new IllegalArgumentException();
            }
            return java.util.UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.at(index, field, "must be a UUID"));
            return null;
        }
    }

    /** UTF-8 length of a string without allocating its encoding. */
    static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
