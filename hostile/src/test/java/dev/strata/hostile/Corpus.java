package dev.strata.hostile;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.model.problem.ProblemType;
import dev.strata.testing.RawHttp;
import dev.strata.testing.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code hostile-corpus.json}: every case well-formed, ids unique, each expectation a 4xx whose
 * status is its problem type's, no placeholder misspelt. A mistake in the file fails here, listing every mistake,
 * before any service is started. Also turns a case into the bytes sent.
 */
final class Corpus {

    static final String RESOURCE = "/hostile-corpus.json";
    static final List<String> SERVICES = dev.strata.testing.PackagedStack.SERVICES;
    static final Set<String> TOKENS = Set.of("own", "other", "admin", "service", "none", "expired", "forged");
    /** Bodies at least this long make a case large: heap sampled while it runs, health checked after. */
    static final long LARGE = 1 << 20;

    private static final Set<String> FIELDS = Set.of(
            "id",
            "why",
            "service",
            "method",
            "path",
            "query",
            "headers",
            "token",
            "body",
            "json",
            "generate",
            "chunked",
            "declaredLength",
            "large",
            "expect");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern LEFT_OVER = Pattern.compile("\\{[a-zA-Z][a-zA-Z0-9]*(:[^{}]*)?}");

    /** Exact numbers (1e400 stays 1E+400), long ones too: the corpus is about such numbers. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(1_000_000)
                        .maxStringLength(50_000_000)
                        .build());
    }

    private Corpus() {}

    static List<HostileCase> load() {
        try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            return parse(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static List<HostileCase> parse(JsonNode root) {
        List<String> problems = new ArrayList<>();
        List<HostileCase> cases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonNode list = root.path("cases");
        if (!list.isArray()) {
            throw new IllegalStateException(RESOURCE + " needs a \"cases\" array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String where = "case " + i + " (" + node.path("id").asText("no id") + ")";
            try {
                HostileCase c = parseCase(node);
                problems.addAll(check(c).stream().map(p -> where + ": " + p).toList());
                if (!ids.add(c.id())) {
                    problems.add(where + ": the id is used twice");
                }
                cases.add(c);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    RESOURCE + " has " + problems.size() + " mistake(s):\n  " + String.join("\n  ", problems));
        }
        return cases;
    }

    private static HostileCase parseCase(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("a case is a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("headers")
                .properties()
                .forEach(e -> headers.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        JsonNode expect = node.path("expect");
        return new HostileCase(
                text(node, "id"),
                text(node, "why"),
                text(node, "service"),
                text(node, "method"),
                text(node, "path"),
                node.hasNonNull("query") ? node.get("query").asText() : null,
                headers,
                text(node, "token"),
                node.hasNonNull("body") ? node.get("body").asText() : null,
                node.has("json") ? node.get("json") : null,
                node.hasNonNull("generate") ? node.get("generate") : null,
                node.path("chunked").asBoolean(false),
                node.hasNonNull("declaredLength") ? node.get("declaredLength").asLong() : null,
                node.hasNonNull("large") ? node.get("large").asBoolean() : null,
                new HostileCase.Expect(
                        expect.path("status").asInt(-1), expect.path("type").asText(null)));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required (a non-blank string)");
        }
        return value.asText();
    }

    private static List<String> check(HostileCase c) {
        List<String> problems = new ArrayList<>();
        if (!ID.matcher(c.id()).matches()) {
            problems.add("the id must be lower-case letters, digits and dashes");
        }
        if (!SERVICES.contains(c.service())) {
            problems.add("unknown service '" + c.service() + "'");
        }
        if (!METHOD.matcher(c.method()).matches()) {
            problems.add("the method must be upper-case letters");
        }
        if (!c.path().startsWith("/")) {
            problems.add("the path must start with /");
        }
        if (!TOKENS.contains(c.token())) {
            problems.add("unknown token '" + c.token() + "' (one of " + TOKENS + ")");
        }
        if (c.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))
                && !c.token().equals("none")) {
            problems.add("an Authorization header needs token none");
        }
        int bodies = (c.text() != null ? 1 : 0) + (c.json() != null ? 1 : 0) + (c.generate() != null ? 1 : 0);
        if (bodies > 1) {
            problems.add("at most one of body, json and generate");
        }
        if (c.chunked() && bodies == 0) {
            problems.add("chunked needs a body");
        }
        if (c.chunked() && c.declaredLength() != null) {
            problems.add("a chunked body has no Content-Length to declare");
        }
        int status = c.expect().status();
        if (status < 400 || status > 499) {
            problems.add("expect.status must be a 4xx");
        }
        ProblemType type = type(c.expect().type());
        if (c.expect().byCodec()) {
            if (status != 400) {
                problems.add("the HTTP codec refuses with 400 only");
            }
        } else if (type == null) {
            problems.add("expect.type '" + c.expect().type() + "' is not a problem type of common-model");
        } else if (type.status() != status) {
            problems.add("expect.type " + c.expect().type() + " is a " + type.status() + ", not a " + status);
        }
        Placeholders values = Placeholders.dummies();
        List<String> texts = new ArrayList<>(List.of(c.path()));
        if (c.query() != null) {
            texts.add(c.query());
        }
        c.headers().values().stream().filter(v -> v != null).forEach(texts::add);
        for (String text : texts) {
            Matcher left = LEFT_OVER.matcher(values.apply(text));
            if (left.find()) {
                problems.add(
                        "unknown placeholder " + left.group() + " (known: " + Placeholders.NAMES + ", b64:, repeat:)");
            }
        }
        try {
            body(c, values);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** The problem type with this slug, or null. */
    static ProblemType type(String slug) {
        if (slug == null) {
            return null;
        }
        for (ProblemType type : ProblemType.values()) {
            if (type.uri().equals(ProblemType.BASE_URI + slug)) {
                return type;
            }
        }
        return null;
    }

    /**
     * The case's body, or null. {@code generate} is one of {@code {"bytes": n, "fill": " "}} (n bytes of the fill),
     * {@code {"prefix": "[", "repeat": "{},", "times": n, "suffix": "{}]"}} or {@code {"parts": ["text",
     * {"repeat": "x", "times": n}, ...]}}.
     */
    static RequestBody body(HostileCase c, Placeholders values) {
        if (c.text() != null) {
            return RequestBody.text(values.apply(c.text()));
        }
        if (c.json() != null) {
            try {
                return RequestBody.text(values.apply(MAPPER.writeValueAsString(c.json())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (c.generate() == null) {
            return null;
        }
        JsonNode g = c.generate();
        List<RequestBody.Segment> segments = new ArrayList<>();
        if (g.has("bytes")) {
            byte[] fill = bytes(values.apply(g.path("fill").asText(" ")));
            long bytes = g.get("bytes").asLong();
            if (fill.length == 0 || bytes % fill.length != 0) {
                throw new IllegalArgumentException("generate.bytes must be a multiple of the fill's length");
            }
            segments.add(new RequestBody.Segment(fill, bytes / fill.length));
        } else if (g.has("parts")) {
            for (JsonNode part : g.get("parts")) {
                if (part.isTextual()) {
                    segments.add(new RequestBody.Segment(bytes(values.apply(part.asText())), 1));
                } else if (part.has("repeat") && part.has("times")) {
                    segments.add(new RequestBody.Segment(
                            bytes(values.apply(part.get("repeat").asText())),
                            part.get("times").asLong()));
                } else {
                    throw new IllegalArgumentException("a generate part is a string or {repeat, times}");
                }
            }
        } else if (g.has("repeat") && g.has("times")) {
            segments.add(
                    new RequestBody.Segment(bytes(values.apply(g.path("prefix").asText(""))), 1));
            segments.add(new RequestBody.Segment(
                    bytes(values.apply(g.get("repeat").asText())),
                    g.get("times").asLong()));
            segments.add(
                    new RequestBody.Segment(bytes(values.apply(g.path("suffix").asText(""))), 1));
        } else {
            throw new IllegalArgumentException("generate needs bytes/fill, parts, or prefix/repeat/times/suffix");
        }
        return RequestBody.generated(segments);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isLarge(HostileCase c, RequestBody body) {
        if (c.large() != null) {
            return c.large();
        }
        return body != null && body.length() >= LARGE;
    }

    /** The request as sent: token, default Content-Type when there is a body, the case's headers. */
    static RawHttp.Request request(HostileCase c, Placeholders values, Function<String, String> tokens) {
        RequestBody body = body(c, values);
        Map<String, String> headers = new LinkedHashMap<>();
        String token = tokens.apply(c.token());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        c.headers().forEach((name, value) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            if (value != null) {
                headers.put(name, values.apply(value));
            }
        });
        return new RawHttp.Request(
                c.method(), c.target(values), RawHttp.headers(headers), body, c.chunked(), c.declaredLength());
    }
}
