package dev.strata.archival.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.archival.store.EventRow;
import dev.strata.model.events.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an object holds, by event type, and the revenue it carries by currency: worked out when the object is
 * planned and kept with it, so the {@code events_archived} event can be written even by the run that finishes
 * the object after a crash, when the events may no longer be hot.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectSummary(Map<String, Long> countsByType, Map<String, BigDecimal> revenueByCurrency) {

    public static ObjectSummary of(List<EventRow> events) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        for (EventRow event : events) {
            counts.merge(event.type(), 1L, Long::sum);
            if (EventType.REVENUE_GENERATED.equals(event.type())) {
                addRevenue(revenue, event.metadataJson());
            }
        }
        return new ObjectSummary(counts, revenue);
    }

    /** Reads only the top-level {@code amount} and {@code currency} of the metadata, with a streaming parser. */
    private static void addRevenue(Map<String, BigDecimal> revenue, String metadataJson) {
        BigDecimal amount = null;
        String currency = null;
        try (JsonParser json = ArchiveFormat.MAPPER.getFactory().createParser(metadataJson)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("amount".equals(field)) {
                    amount = value.isNumeric() ? json.getDecimalValue() : null;
                } else if ("currency".equals(field)) {
                    currency = value == JsonToken.VALUE_STRING ? json.getText() : null;
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException e) {
            return; // metadata is jsonb, so it always parses; a malformed value simply carries no revenue
        }
        if (amount != null && currency != null) {
            revenue.merge(currency, amount, BigDecimal::add);
        }
    }

    public String toJson() {
        try {
            return ArchiveFormat.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectSummary fromJson(String json) {
        try {
            ObjectSummary summary = ArchiveFormat.MAPPER.readValue(json, ObjectSummary.class);
            return new ObjectSummary(
                    summary.countsByType() == null ? Map.of() : summary.countsByType(),
                    summary.revenueByCurrency() == null ? Map.of() : summary.revenueByCurrency());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
