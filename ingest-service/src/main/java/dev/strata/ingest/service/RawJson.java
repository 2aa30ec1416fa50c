package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * JSON text (a stored or checked {@code properties} or {@code metadata} object) as a node that writes the text as
 * it is. Ingest keeps such objects as the text written for the database, not as trees: a checked batch holds no
 * tree of its items, events carry the same text, and reads return exactly what was stored, without parsing it.
 */
public final class RawJson {

    private RawJson() {}

    public static JsonNode of(String json) {
        return JsonNodeFactory.instance.rawValueNode(new RawValue(json));
    }
}
