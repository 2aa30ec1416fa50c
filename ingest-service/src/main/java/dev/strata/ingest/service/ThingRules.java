package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.model.ontology.Ontology;
import dev.strata.model.problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/** Validates thing items (SPEC section 1): known type, non-blank name, status, properties size. */
@ApplicationScoped
public class ThingRules {

    public static final Set<String> STATUSES = Set.of("draft", "active", "published", "archived");
    static final String CSV_ROW_ERROR = "_csvRow";
    private static final Set<String> FIELDS = Set.of("type", "name", "status", "properties");

    private final Ontology ontology;
    private final IngestConfig config;
    private final ObjectMapper mapper;

    public ThingRules(Ontology ontology, IngestConfig config, ObjectMapper mapper) {
        this.ontology = ontology;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * A valid new thing, its properties serialized once for the database and the event ({@code properties} writes
     * that text as it is), so a batch keeps no JSON tree of its items.
     *
     * @param status null where the item gives none: the batch's default applies ({@link #withStatus})
     */
    public record NewThing(String type, String name, String status, JsonNode properties, String propertiesJson,
                           int propertiesBytes) {

        NewThing withStatus(String defaultStatus) {
            return status != null ? this
                    : new NewThing(type, name, defaultStatus, properties, propertiesJson, propertiesBytes);
        }
    }

    /** Returns the thing, or null after adding the item's errors to {@code errors}. */
    public NewThing validate(JsonNode item, int index, List<FieldError> errors) {
        int before = errors.size();
        if (!ItemErrors.requireObject(item, index, errors)) {
            return null;
        }
        if (item.has(CSV_ROW_ERROR)) {
            errors.add(FieldError.at(index, "row", item.get(CSV_ROW_ERROR).asText()));
            return null;
        }
        ItemErrors.rejectUnknownFields(item, FIELDS, index, errors);
        String type = ItemErrors.requiredText(item, "type", index, errors);
        if (type != null && !ontology.isKnownThingType(type)) {
            errors.add(FieldError.at(index, "type", "unknown thing type '" + type + "'"));
        }
        String name = ItemErrors.requiredText(item, "name", index, errors);
        if (name != null) {
            if (name.isBlank()) {
                errors.add(FieldError.at(index, "name", "must not be blank"));
            } else if (name.length() > config.maxNameLength()) {
                errors.add(FieldError.at(index, "name", "longer than " + config.maxNameLength() + " characters"));
            }
        }
        String status = ItemErrors.optionalText(item, "status", index, errors);
        if (status != null && !STATUSES.contains(status)) {
            errors.add(FieldError.at(index, "status", "must be one of draft, active, published, archived"));
        }
        JsonNode properties = item.get("properties");
        String propertiesJson = "{}";
        int propertiesBytes = 2;
        if (properties != null && !properties.isNull() && !properties.isObject()) {
            errors.add(FieldError.at(index, "properties", "must be an object"));
        } else if (properties != null && !properties.isNull()) {
            propertiesJson = serialize(properties);
            propertiesBytes = ItemErrors.utf8Length(propertiesJson);
            if (propertiesBytes > config.maxPropertyBytes()) {
                errors.add(FieldError.at(index, "properties", "larger than the limit of " + config.maxPropertyBytes()
                        + " bytes (" + propertiesBytes + ")"));
            }
        }
        return errors.size() == before ? new NewThing(type, name, status, RawJson.of(propertiesJson), propertiesJson,
                propertiesBytes) : null;
    }

    String serialize(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
        }
    }
}
