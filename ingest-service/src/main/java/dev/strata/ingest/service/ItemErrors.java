package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;
import dev.strata.model.time.TimeRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Small helpers the item validators share; each records errors with the item's index and field. */
final class ItemErrors {

    /** PostgreSQL text and jsonb cannot hold U+0000; caught per item instead of failing the whole statement. */
    static final String NUL = "must not contain the character U+0000";

    static final String OUT_OF_RANGE =
            "a number beyond what JSON readers hold (about 1.8e308, or so close to 0 that it reads as 0)";

    private static final int NAMED_UNKNOWN = 5;
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);
    /** Below half the smallest double, a non-zero number reads as 0. */
    private static final BigDecimal HALF_MIN_DOUBLE = new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.valueOf(2));

    private ItemErrors() {}

    /** Whether the item is a JSON object; records the item's error when it is not. */
    static boolean requireObject(JsonNode item, int index, List<FieldError> errors) {
        if (item.isObject()) {
            return true;
        }
        errors.add(FieldError.at(index, "$", "must be an object"));
        return false;
    }

    /**
     * Reports fields the item type does not have; unknown fields are errors, never silently dropped. One error
     * per item, naming the first few, however many there are: an item of a million unknown fields costs one line.
     */
    static void rejectUnknownFields(JsonNode item, Set<String> allowed, int index, List<FieldError> errors) {
        List<String> unknown = new ArrayList<>(NAMED_UNKNOWN);
        int count = 0;
        for (var names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                if (count++ < NAMED_UNKNOWN) {
                    unknown.add(name);
                }
            }
        }
        if (count == 1) {
            errors.add(FieldError.at(index, unknown.get(0), "unknown field"));
        } else if (count > 1) {
            errors.add(FieldError.at(
                    index,
                    unknown.get(0),
                    count + " unknown fields: " + String.join(", ", unknown) + (count > NAMED_UNKNOWN ? ", ..." : "")
                            + "; known fields are " + new TreeSet<>(allowed)));
        }
    }

    /**
     * The first value of an item that cannot be stored as sent, as the item's error; null when there is none:
     * U+0000 in a text or a key (PostgreSQL's text and jsonb cannot hold it), or a number that a reader of JSON
     * numbers as doubles cannot hold (beyond +-1.8e308, or a non-zero one so small it would read as 0), which a
     * store or consumer would change without a word (1e400 became the string "Infinity").
     */
    static FieldError unstorable(JsonNode item, int index) {
        StringBuilder path = new StringBuilder();
        String problem = firstUnstorable(item, path);
        return problem == null ? null : FieldError.at(index, path.length() == 0 ? "$" : path.toString(), problem);
    }

    private static String firstUnstorable(JsonNode node, StringBuilder path) {
        switch (node.getNodeType()) {
            case STRING:
                return node.textValue().indexOf('\0') >= 0 ? NUL : null;
            case NUMBER:
                return finite(node) ? null : OUT_OF_RANGE;
            case OBJECT: {
                int at = path.length();
                for (var fields = node.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    path.setLength(at);
                    path.append(at == 0 ? "" : ".").append(field.getKey());
                    if (field.getKey().indexOf('\0') >= 0) {
                        return NUL;
                    }
                    String problem = firstUnstorable(field.getValue(), path);
                    if (problem != null) {
                        return problem;
                    }
                }
                path.setLength(at);
                return null;
            }
            case ARRAY: {
                int at = path.length();
                for (int i = 0; i < node.size(); i++) {
                    path.setLength(at);
                    path.append('[').append(i).append(']');
                    String problem = firstUnstorable(node.get(i), path);
                    if (problem != null) {
                        return problem;
                    }
                }
                path.setLength(at);
                return null;
            }
            default:
                return null;
        }
    }

    private static boolean finite(JsonNode number) {
        if (number.isInt() || number.isLong() || number.isShort()) {
            return true;
        }
        if (number.isDouble() || number.isFloat()) {
            double value = number.doubleValue();
            return Double.isFinite(value);
        }
        return representable(number.decimalValue());
    }

    /**
     * Whether readers of JSON numbers as doubles hold {@code value} without overflowing to infinity or underflowing
     * a non-zero value to 0; within that range, the exact digits are kept as sent.
     */
    static boolean representable(BigDecimal value) {
        BigDecimal magnitude = value.abs();
        return magnitude.compareTo(MAX_DOUBLE) <= 0
                && (magnitude.signum() == 0 || magnitude.compareTo(HALF_MIN_DOUBLE) > 0);
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
        Instant time;
        try {
            time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.at(index, field, "must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z"));
            return null;
        }
        if (!TimeRange.contains(time)) {
            errors.add(FieldError.at(index, field, "must be " + TimeRange.DESCRIPTION));
            return null;
        }
        return time;
    }
}
