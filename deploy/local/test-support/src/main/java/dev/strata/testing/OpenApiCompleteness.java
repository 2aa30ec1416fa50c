package dev.strata.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What an OpenAPI document owes a client who learns the API from it (issue 17), checked operation by operation:
 * <ul>
 *   <li>a summary;</li>
 *   <li>a request body with a real schema (properties, items or a scalar type, not the empty object a
 *       {@code JsonNode} parameter gives) and an example, where the operation takes a body: every POST, PUT and
 *       PATCH unless the service names it body-less;</li>
 *   <li>a 2xx response, each (but 204) with a real schema and an example;</li>
 *   <li>its problems: at least one 4xx, and every 4xx and 5xx as {@code application/problem+json};</li>
 *   <li>examples that name only fields their schema declares (a stale example is a lie).</li>
 * </ul>
 * Pure: it reads the document (as {@code /q/openapi?format=json} gives it) and lists the gaps, one line each.
 */
public final class OpenApiCompleteness {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Set<String> WRITES = Set.of("post", "put", "patch");
    private static final String PROBLEM = "application/problem+json";

    private final JsonNode doc;

    private OpenApiCompleteness(JsonNode doc) {
        this.doc = doc;
    }

    /**
     * The gaps of every operation whose path {@code skip} does not match, each as
     * {@code "POST /groups/{groupId}/things:batch: ..."}; {@code bodiless} names writes that take no body
     * ({@code "POST /archival/runs"}).
     */
    public static List<String> gaps(JsonNode doc, Set<String> bodiless, Predicate<String> skip) {
        return new OpenApiCompleteness(doc).check(bodiless, skip);
    }

    private List<String> check(Set<String> bodiless, Predicate<String> skip) {
        List<String> gaps = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (skip.test(path.getKey())) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    String id = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                    operation(id, op.getKey(), op.getValue(), bodiless.contains(id), gaps);
                }
            }
        }
        return gaps;
    }

    private void operation(String id, String method, JsonNode op, boolean bodiless, List<String> gaps) {
        if (op.path("summary").asText("").isBlank()) {
            gaps.add(id + ": no summary");
        }
        JsonNode body = op.get("requestBody");
        if (body == null) {
            if (WRITES.contains(method) && !bodiless) {
                gaps.add(id + ": takes a body but declares no request body schema");
            }
        } else {
            content(id + ": request body", body.path("content"), gaps);
        }
        JsonNode responses = op.path("responses");
        boolean success = false;
        boolean clientError = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> response = it.next();
            String status = response.getKey();
            JsonNode content = response.getValue().path("content");
            if (status.startsWith("2")) {
                success = true;
                if (!status.equals("204")) {
                    content(id + ": response " + status, content, gaps);
                }
            } else if (status.startsWith("4") || status.startsWith("5")) {
                clientError |= status.startsWith("4");
                if (!content.has(PROBLEM)) {
                    gaps.add(id + ": response " + status + " is not " + PROBLEM);
                }
            }
        }
        if (!success) {
            gaps.add(id + ": no 2xx response");
        }
        if (!clientError) {
            gaps.add(id + ": lists no problem (4xx)");
        }
    }

    private void content(String where, JsonNode content, List<String> gaps) {
        if (!content.isObject() || content.isEmpty()) {
            gaps.add(where + ": no content");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> media = it.next();
            String at = where + " (" + media.getKey() + ")";
            JsonNode schema = resolve(media.getValue().path("schema"));
            if (!described(schema, new HashSet<>())) {
                gaps.add(at + ": no schema (an empty object, as JsonNode gives, does not count)");
                continue;
            }
            JsonNode example = example(media.getValue(), schema);
            if (example == null) {
                gaps.add(at + ": no example");
            } else {
                Set<String> unknown = unknownFields(example, schema);
                if (!unknown.isEmpty()) {
                    gaps.add(at + ": example names fields the schema lacks: " + unknown);
                }
            }
        }
    }

    /** The schema a {@code $ref} (or a nullable {@code anyOf}/{@code oneOf} of one) points at. */
    private JsonNode resolve(JsonNode schema) {
        for (int depth = 0; depth < 16 && schema != null && !schema.isMissingNode(); depth++) {
            if (schema.has("$ref")) {
                String ref = schema.get("$ref").asText();
                schema = ref.startsWith("#/") ? doc.at(ref.substring(1)) : null;
                continue;
            }
            JsonNode alternatives = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
            if (alternatives != null && !schema.has("properties")) {
                JsonNode chosen = null;
                for (JsonNode alternative : alternatives) {
                    if (!types(alternative).equals(Set.of("null"))) {
                        chosen = chosen == null ? alternative : chosen;
                    }
                }
                if (chosen != null && alternatives.size() <= 2) {
                    schema = chosen;
                    continue;
                }
            }
            return schema;
        }
        return schema;
    }

    private static Set<String> types(JsonNode schema) {
        Set<String> types = new TreeSet<>();
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else if (type.isTextual()) {
            types.add(type.asText());
        }
        return types;
    }

    /** Whether a schema says what the JSON holds: fields, items, a scalar type, a map of such, or alternatives. */
    private boolean described(JsonNode schema, Set<JsonNode> seen) {
        if (schema == null || !schema.isObject()) {
            return false;
        }
        if (!seen.add(schema)) {
            return true; // a recursive schema: described where it was first met
        }
        if (schema.path("properties").size() > 0
                || schema.has("oneOf")
                || schema.has("anyOf")
                || schema.has("allOf")
                || schema.has("enum")) {
            return true;
        }
        Set<String> types = types(schema);
        types.remove("null");
        if (types.contains("array")) {
            return described(resolve(schema.path("items")), seen);
        }
        if (types.contains("object")) {
            JsonNode additional = schema.get("additionalProperties");
            return additional != null && additional.isObject() && described(resolve(additional), seen);
        }
        return !types.isEmpty();
    }

    private JsonNode example(JsonNode media, JsonNode schema) {
        if (media.has("example")) {
            return media.get("example");
        }
        if (media.path("examples").size() > 0) {
            return media.get("examples").elements().next().path("value");
        }
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.path("examples").isArray() && schema.get("examples").size() > 0) {
            return schema.get("examples").get(0);
        }
        if (types(schema).contains("array")) {
            JsonNode items = resolve(schema.path("items"));
            return items == null || items.isMissingNode()
                    ? null
                    : example(JsonNodeFactory.instance.objectNode(), items);
        }
        return null;
    }

    /** The example's top-level fields a closed object schema does not declare. */
    private static Set<String> unknownFields(JsonNode example, JsonNode schema) {
        Set<String> unknown = new TreeSet<>();
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean open = additional != null && !(additional.isBoolean() && !additional.asBoolean());
        if (example.isObject() && properties.size() > 0 && !open) {
            example.fieldNames().forEachRemaining(name -> {
                if (!properties.has(name)) {
                    unknown.add(name);
                }
            });
        }
        return unknown;
    }
}
