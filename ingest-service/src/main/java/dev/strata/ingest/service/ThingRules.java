package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.config.IngestConfig;
import dev.strata.ingest.service.BatchLimits.Event;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.ThingCreated;
import dev.strata.model.ontology.Ontology;
import dev.strata.model.problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Validates thing items (SPEC section 1): known type, non-blank name, status, properties size, and the size of the
 * {@code thing_created} event each becomes.
 */
@ApplicationScoped
public class ThingRules {

    public static final Set<String> STATUSES = Set.of("draft", "active", "published", "archived");
    static final String CSV_ROW_ERROR = "_csvRow";
    private static final Set<String> FIELDS = Set.of("type", "name", "status", "properties");
    /** What an item without a status may get from its batch's default, at its longest. */
    private static final String LONGEST_STATUS =
            STATUSES.stream().max(Comparator.comparingInt(String::length)).orElseThrow();

    private final Ontology ontology;
    private final IngestConfig config;
    private final ObjectMapper mapper;
    private final BatchLimits limits;

    public ThingRules(Ontology ontology, IngestConfig config, ObjectMapper mapper, BatchLimits limits) {
        this.ontology = ontology;
        this.config = config;
        this.mapper = mapper;
        this.limits = limits;
    }

    /**
     * A valid new thing, its properties serialized once for the database and the event ({@code properties} writes
     * that text as it is), so a batch keeps no JSON tree of its items.
     *
     * @param status null where the item gives none: the batch's default applies ({@link #withStatus})
     */
    public record NewThing(
            String type, String name, String status, JsonNode properties, String propertiesJson, int propertiesBytes) {

        NewThing withStatus(String defaultStatus) {
            return status != null
                    ? this
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
                errors.add(FieldError.at(
                        index,
                        "properties",
                        "larger than the limit of " + config.maxPropertyBytes() + " bytes (" + propertiesBytes + ")"));
            }
        }
        if (errors.size() != before) {
            return null;
        }
        JsonNode written = RawJson.of(propertiesJson);
        String eventStatus = status != null ? status : LONGEST_STATUS;
        int bytes = propertiesBytes;
        if (!limits.eventFits(
                index,
                bytes >= name.length() ? "properties" : "name",
                type.length() + name.length() + eventStatus.length(),
                bytes,
                () -> new Event(
                        EventType.THING_CREATED,
                        BatchLimits.SOME_TIME,
                        BatchLimits.SOME_ID,
                        new ThingCreated(
                                BatchLimits.SOME_ID,
                                type,
                                name,
                                eventStatus,
                                written,
                                bytes,
                                BatchLimits.SOME_TIME,
                                BatchLimits.SOME_ID)),
                errors)) {
            return null;
        }
        return new NewThing(type, name, status, written, propertiesJson, propertiesBytes);
    }

    String serialize(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
        }
    }
}
