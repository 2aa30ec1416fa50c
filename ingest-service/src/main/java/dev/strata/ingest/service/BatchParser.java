package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.api.PathIds;
import dev.strata.support.json.JsonLimits;
import dev.strata.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a batch body (JSON, NDJSON or CSV) as it streams in, one item at a time: each item is parsed, checked for
 * values no store can keep as sent, and handed to the batch's {@link ItemValidator}, which keeps only what the
 * write needs; its JSON tree is then dropped. The item cap is checked at each item, so a body of twenty million
 * items is refused at the first one past the cap, and an item larger than {@code strata.ingest.max-item-bytes} is
 * skipped token by token, never built. Numbers are read exactly (decimals as {@code BigDecimal}, trailing zeros
 * kept), so what a client sends is what is stored and returned.
 *
 * <p>Bounds of the JSON reader, which answer the whole batch: service-support's {@link JsonLimits} for nesting,
 * numbers and field names (400), and for strings the item limit (413). Duplicate field names are refused (400).
 */
@ApplicationScoped
public class BatchParser {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";

    /** The options of thing batches. */
    public static final Set<String> THING_OPTIONS = Set.of("atomic", "defaultStatus");
    /** The options of connection, event and knowledge batches: they have no status to default. */
    public static final Set<String> ATOMIC_ONLY = Set.of("atomic");

    private final ObjectMapper mapper;
    private final BatchLimits limits;

    public BatchParser(ObjectMapper mapper, BatchLimits limits) {
        this.limits = limits;
        this.mapper = exact(mapper, limits.maxItemBytes());
    }

    /**
     * A copy of the application's mapper that reads numbers exactly and within the bounds above; items, lines
     * and stored JSON that must compare equal to them are read with it.
     */
    static ObjectMapper exact(ObjectMapper base, int maxStringLength) {
        ObjectMapper exact = base.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        exact.getFactory()
                .setStreamReadConstraints(JsonLimits.CONSTRAINTS
                        .rebuild()
                        .maxStringLength(maxStringLength)
                        .build());
        return exact;
    }

    /** The exact, bounded mapper (see {@link #exact}). */
    public ObjectMapper mapper() {
        return mapper;
    }

    int maxItemBytes() {
        return limits.maxItemBytes();
    }

    /**
     * {@code {"items": [...], "options": {...}}} (options among {@code allowedOptions}; they override the query's)
     * or a bare array of items.
     */
    public <T> ParsedBatch<T> json(
            InputStream body, BatchOptions queryOptions, Set<String> allowedOptions, ItemValidator<T> validator) {
        List<T> items = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        BatchOptions options = queryOptions;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw ProblemException.badRequest("The body is empty.");
            }
            if (first == JsonToken.START_ARRAY) {
                readItems(parser, validator, items, errors);
            } else if (first == JsonToken.START_OBJECT) {
                boolean sawItems = false;
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    if (name.equals("items")) {
                        if (parser.nextToken() != JsonToken.START_ARRAY) {
                            throw itemsRequired();
                        }
                        readItems(parser, validator, items, errors);
                        sawItems = true;
                    } else if (name.equals("options")) {
                        parser.nextToken();
                        JsonNode value = readBounded(parser);
                        if (value == null) {
                            throw ProblemException.validation(
                                    "\"options\" is too large.",
                                    List.of(FieldError.of("options", "must be a small object")));
                        }
                        options = options(value, queryOptions, allowedOptions);
                    } else {
                        throw new ProblemException(Problem.of(
                                        ProblemType.MALFORMED_REQUEST,
                                        "Unknown field '" + name + "'; the body has \"items\" and \"options\".")
                                .withErrors(List.of(FieldError.of(name, "unknown field"))));
                    }
                }
                if (!sawItems) {
                    throw itemsRequired();
                }
            } else {
                throw ProblemException.badRequest("The body must be a JSON object with an \"items\" array.");
            }
            if (parser.nextToken() != null) {
                throw ProblemException.badRequest("The body holds more than one JSON value.");
            }
        } catch (StreamConstraintsException e) {
            throw constraint(e);
        } catch (JsonProcessingException e) {
            throw malformed(e, "The body");
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (items.isEmpty()) {
            throw BatchLimits.noItems();
        }
        return new ParsedBatch<>(items, errors, options);
    }

    /** One JSON object per line, blank lines skipped; a line that is not one JSON value is that item's error. */
    public <T> ParsedBatch<T> ndjson(InputStream body, BatchOptions options, ItemValidator<T> validator) {
        return stream(body, ImportReader.NDJSON, options, validator);
    }

    /** CSV with a header row: {@code type,name,status,properties.<key>...}. */
    public <T> ParsedBatch<T> csv(InputStream body, BatchOptions options, ItemValidator<T> validator) {
        return stream(body, ImportReader.CSV, options, validator);
    }

    private <T> ParsedBatch<T> stream(
            InputStream body, String format, BatchOptions options, ItemValidator<T> validator) {
        List<T> items = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        try (ImportReader reader = ImportReader.over(body, format, this)) {
            int max = limits.maxItems();
            reader.read(max, validator, items, errors);
            if (reader.read(1, (item, index, ignored) -> item, new ArrayList<>(), new ArrayList<>()) > 0) {
                throw limits.tooManyItems();
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (items.isEmpty()) {
            throw BatchLimits.noItems();
        }
        return new ParsedBatch<>(items, errors, options);
    }

    /** Reads array elements as items until the array ends, refusing the first one past the cap. */
    private <T> void readItems(JsonParser parser, ItemValidator<T> validator, List<T> items, List<FieldError> errors)
            throws IOException {
        int max = limits.maxItems();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw ProblemException.badRequest("The body ends inside the \"items\" array.");
            }
            int index = items.size();
            if (index == max) {
                throw limits.tooManyItems();
            }
            JsonNode item = readBounded(parser);
            if (item == null) {
                errors.add(limits.itemTooLarge(index));
                items.add(null);
            } else {
                items.add(check(item, index, validator, errors));
            }
        }
    }

    /** Checks what every item shares, then hands it to the batch's validator. */
    <T> T check(JsonNode item, int index, ItemValidator<T> validator, List<FieldError> errors) {
        FieldError unstorable = ItemErrors.unstorable(item, index);
        if (unstorable != null) {
            errors.add(unstorable);
            return null;
        }
        return validator.validate(item, index, errors);
    }

    /**
     * The value at the parser's current token, or null when it spans more than the item limit: then the rest of
     * it is passed over token by token, nothing built, and the parser stands on its last token.
     */
    private JsonNode readBounded(JsonParser parser) throws IOException {
        JsonStreamContext outside = parser.currentToken().isStructStart()
                ? parser.getParsingContext().getParent()
                : parser.getParsingContext();
        long end = offset(parser.currentTokenLocation()) + limits.maxItemBytes();
        try {
            return mapper.readTree(new Bounded(parser, end));
        } catch (ItemTooLarge e) {
            while (parser.getParsingContext() != outside) {
                if (parser.nextToken() == null) {
                    throw ProblemException.badRequest("The body ends inside an item.");
                }
            }
            return null;
        }
    }

    /** One NDJSON line (an import's or a batch's), read exactly and within the bounds. */
    JsonNode readLine(byte[] body, int offset, int length, int line) {
        try (JsonParser parser = mapper.getFactory().createParser(body, offset, length)) {
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw ProblemException.badRequest("Line " + line + " holds more than one JSON value.");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw ProblemException.badRequest(
                    "Line " + line + ": " + constraint(e).problem().detail());
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Line " + line + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("Line " + line + " could not be read.");
        }
    }

    /** Options given as query parameters (NDJSON and CSV bodies have no room for them). */
    public BatchOptions queryOptions(String atomic, String defaultStatus) {
        BatchOptions defaults = BatchOptions.defaults();
        return new BatchOptions(
                PathIds.flag(atomic, "atomic", defaults.atomic()),
                PathIds.oneOf(defaultStatus, "defaultStatus", ThingRules.STATUSES, defaults.defaultStatus()));
    }

    private BatchOptions options(JsonNode node, BatchOptions fallback, Set<String> allowed) {
        if (node.isNull()) {
            return fallback;
        }
        if (!node.isObject()) {
            throw ProblemException.validation(
                    "\"options\" must be an object.", List.of(FieldError.of("options", "must be an object")));
        }
        List<FieldError> errors = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                errors.add(FieldError.of("options." + name, "unknown option"));
            }
        });
        JsonNode atomic = node.get("atomic");
        if (atomic != null && !atomic.isBoolean()) {
            errors.add(FieldError.of("options.atomic", "must be true or false"));
        }
        JsonNode status = node.get("defaultStatus");
        if (status != null && !(status.isTextual() && ThingRules.STATUSES.contains(status.asText()))) {
            errors.add(FieldError.of("options.defaultStatus", "must be one of " + ThingRules.STATUSES));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("Invalid options.", errors);
        }
        return new BatchOptions(
                atomic != null ? atomic.asBoolean() : fallback.atomic(),
                status != null ? status.asText() : fallback.defaultStatus());
    }

    private static ProblemException itemsRequired() {
        return ProblemException.validation(
                "The body needs an \"items\" array.", List.of(FieldError.of("items", "required array")));
    }

    private ProblemException constraint(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        if (message.startsWith("String value length")) {
            return new ProblemException(Problem.of(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "A string is longer than " + limits.maxItemBytes() + " characters, the item limit.")
                    .withExtension("limit", "strata.ingest.max-item-bytes")
                    .withExtension("maximum", limits.maxItemBytes()));
        }
        String what = message.startsWith("Document nesting depth")
                ? "is nested deeper than " + JsonLimits.MAX_NESTING_DEPTH
                : message.startsWith("Number value length")
                        ? "has a number longer than " + JsonLimits.MAX_NUMBER_LENGTH + " characters"
                        : message.startsWith("Name length")
                                ? "has a field name longer than " + JsonLimits.MAX_NAME_LENGTH + " characters"
                                : "passes a limit of the JSON reader";
        return ProblemException.badRequest("The body " + what + ".");
    }

    private static ProblemException malformed(JsonProcessingException e, String what) {
        JsonLocation location = e.getLocation();
        String where =
                location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return ProblemException.badRequest(what + " is not valid JSON" + where + ".");
    }

    private static ProblemException unreadable(IOException e) {
        return new ProblemException(Problem.of(ProblemType.MALFORMED_REQUEST, "The body could not be read."));
    }

    private static long offset(JsonLocation location) {
        return Math.max(location.getByteOffset(), location.getCharOffset());
    }

    /** Signals that an item passed the item limit while it was being read. */
    private static final class ItemTooLarge extends RuntimeException {
        ItemTooLarge() {
            super(null, null, false, false);
        }
    }

    /** The batch's parser, seen through one item: it stops the item once it reaches {@code end}. */
    private static final class Bounded extends JsonParserDelegate {
        private final long end;

        Bounded(JsonParser parser, long end) {
            super(parser);
            this.end = end;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            return within(delegate.nextToken());
        }

        @Override
        public JsonToken nextValue() throws IOException {
            return within(delegate.nextValue());
        }

        @Override
        public String nextFieldName() throws IOException {
            return within(delegate.nextFieldName());
        }

        private <T> T within(T read) {
            if (offset(delegate.currentLocation()) > end) {
                throw new ItemTooLarge();
            }
            return read;
        }
    }
}
