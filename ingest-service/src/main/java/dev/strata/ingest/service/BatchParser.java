package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a batch body (JSON, NDJSON or CSV) into items. Items stay JSON nodes here: each is validated on its own
 * later, so a wrong type inside one item is that item's error, not the batch's.
 */
@ApplicationScoped
public class BatchParser {

    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";

    /** The options of thing batches. */
    public static final Set<String> THING_OPTIONS = Set.of("atomic", "defaultStatus");
    /** The options of connection, event and knowledge batches: they have no status to default. */
    public static final Set<String> ATOMIC_ONLY = Set.of("atomic");

    private static final Set<String> TOP_LEVEL = Set.of("items", "options");

    private final ObjectMapper mapper;

    public BatchParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code {"items": [...], "options": {...}}} or a bare array of items; thing options. */
    public ParsedBatch json(byte[] body, BatchOptions queryOptions) {
        return json(body, queryOptions, THING_OPTIONS);
    }

    /** As {@link #json(byte[], BatchOptions)}, accepting only {@code allowedOptions} in {@code options}. */
    public ParsedBatch json(byte[] body, BatchOptions queryOptions, Set<String> allowedOptions) {
        JsonNode root = readTree(body);
        if (root.isArray()) {
            return new ParsedBatch(elements(root), queryOptions);
        }
        if (!root.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object with an \"items\" array.");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!TOP_LEVEL.contains(name)) {
                throw new ProblemException(dev.strata.model.problem.Problem.of(
                                dev.strata.model.problem.ProblemType.MALFORMED_REQUEST, "Unknown field '" + name + "'.")
                        .withErrors(List.of(FieldError.of(name, "unknown field"))));
            }
        });
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw ProblemException.validation("The body needs an \"items\" array.",
                    List.of(FieldError.of("items", "required array")));
        }
        return new ParsedBatch(elements(items), options(root.get("options"), queryOptions, allowedOptions));
    }

    /** One JSON object per line; blank lines are skipped. */
    public ParsedBatch ndjson(byte[] body, BatchOptions options) {
        List<JsonNode> items = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!isBlank(body, start, end)) {
                    items.add(readLine(body, start, end - start, line));
                }
                start = i + 1;
                line++;
            }
        }
        return new ParsedBatch(items, options);
    }

    /** CSV with a header row: {@code type,name,status,properties.<key>...}. */
    public ParsedBatch csv(byte[] body, BatchOptions options) {
        try (CsvThings rows = new CsvThings(new java.io.StringReader(
                new String(body, java.nio.charset.StandardCharsets.UTF_8)), mapper)) {
            List<JsonNode> items = new ArrayList<>();
            for (ObjectNode row = rows.next(); row != null; row = rows.next()) {
                items.add(row);
            }
            return new ParsedBatch(items, options);
        }
    }

    public JsonNode readLine(byte[] body, int offset, int length, int line) {
        try (JsonParser parser = mapper.getFactory().createParser(body, offset, length)) {
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw ProblemException.badRequest("Line " + line + " holds more than one JSON value.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Line " + line + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("Line " + line + " could not be read.");
        }
    }

    /** Options given as query parameters (NDJSON and CSV bodies have no room for them). */
    public BatchOptions queryOptions(Boolean atomic, String defaultStatus) {
        if (defaultStatus != null && !ThingRules.STATUSES.contains(defaultStatus)) {
            throw ProblemException.validation("Invalid options.", List.of(
                    FieldError.of("defaultStatus", "must be one of draft, active, published, archived")));
        }
        BatchOptions defaults = BatchOptions.defaults();
        return new BatchOptions(atomic != null ? atomic : defaults.atomic(),
                defaultStatus != null ? defaultStatus : defaults.defaultStatus());
    }

    public BatchOptions options(JsonNode node, BatchOptions fallback) {
        return options(node, fallback, THING_OPTIONS);
    }

    private BatchOptions options(JsonNode node, BatchOptions fallback, Set<String> allowed) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isObject()) {
            throw ProblemException.validation("\"options\" must be an object.",
                    List.of(FieldError.of("options", "must be an object")));
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
        return new BatchOptions(atomic != null ? atomic.asBoolean() : fallback.atomic(),
                status != null ? status.asText() : fallback.defaultStatus());
    }

    private JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("The body is empty.");
        }
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            JsonNode root = mapper.readTree(parser);
            if (root == null) {
                throw ProblemException.badRequest("The body is empty.");
            }
            if (parser.nextToken() != null) {
                throw ProblemException.badRequest("The body holds more than one JSON value.");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ProblemException.badRequest("The body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read.");
        }
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    private static boolean isBlank(byte[] body, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!Character.isWhitespace(body[i])) {
                return false;
            }
        }
        return true;
    }
}
