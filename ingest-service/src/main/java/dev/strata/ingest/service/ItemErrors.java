package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** Small helpers the item validators share; each records errors with the item's index and field. */
final class ItemErrors {

    /** PostgreSQL text and jsonb cannot hold U+0000; caught per item instead of failing the whole statement. */
    static final String NUL = "must not contain the character U+0000";

    private ItemErrors() {
    }

    /** Whether the item is a JSON object; records the item's error when it is not. */
    static boolean requireObject(JsonNode item, int index, List<FieldError> errors) {
        if (item.isObject()) {
            return true;
        }
        errors.add(FieldError.at(index, "$", "must be an object"));
        return false;
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

    /**
     * An optional JSON object field (metadata), serialized for a {@code jsonb} column: {@code "{}"} when absent,
     * null after recording a wrong type or a size over {@code maxBytes}.
     */
    static String optionalObjectJson(JsonNode item, String field, int maxBytes, int index, List<FieldError> errors) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return "{}";
        }
        if (!value.isObject()) {
            errors.add(FieldError.at(index, field, "must be an object"));
            return null;
        }
        if (hasNul(value)) {
            errors.add(FieldError.at(index, field, NUL));
            return null;
        }
        String json = value.toString();
        int bytes = utf8Length(json);
        if (bytes > maxBytes) {
            errors.add(FieldError.at(index, field, "larger than the limit of " + maxBytes + " bytes (" + bytes + ")"));
            return null;
        }
        return json;
    }

    /**
     * An optional RFC 3339 timestamp (an offset is required, so a time is never read in a guessed zone), cut to
     * microseconds as PostgreSQL keeps it, so what events carry equals what is stored.
     */
    static Instant optionalInstant(JsonNode item, String field, int index, List<FieldError> errors) {
        String text = optionalText(item, field, index, errors);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.at(index, field, "must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z"));
            return null;
        }
    }

    /** Whether a string or any text or key inside a JSON value holds U+0000. */
    static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || hasNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
