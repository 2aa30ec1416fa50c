package dev.strata.archival.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.archival.store.EventRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectSummaryTest {

    @Test
    void shouldCountTypesAndAddTopLevelRevenueByCurrency() {
        List<EventRow> events = List.of(
                event("revenue_generated", "{\"amount\":12.50,\"currency\":\"EUR\"}"),
                event(
                        "revenue_generated",
                        "{\"order\":{\"amount\":1000,\"currency\":\"EUR\"},\"currency\":\"EUR\","
                                + "\"tags\":[1,{\"amount\":3}],\"amount\":7}"),
                event("revenue_generated", "{\"amount\":\"5\",\"currency\":\"EUR\"}"), // a text amount: no revenue
                event("revenue_generated", "{\"amount\":0.1,\"currency\":\"USD\"}"),
                event("revenue_generated", "{\"amount\":0.2,\"currency\":\"USD\"}"),
                event("revenue_generated", "{\"amount\":4}"), // no currency: no revenue
                event("user_login", "{\"amount\":100,\"currency\":\"EUR\"}")); // not revenue

        ObjectSummary summary = ObjectSummary.of(events);

        assertEquals(Map.of("revenue_generated", 6L, "user_login", 1L), summary.countsByType());
        assertEquals(Map.of("EUR", new BigDecimal("19.50"), "USD", new BigDecimal("0.3")), summary.revenueByCurrency());
    }

    private static EventRow event(String type, String metadata) {
        Instant at = Instant.parse("2024-03-01T10:00:00Z");
        return new EventRow(UUID.randomUUID(), UUID.randomUUID(), type, null, null, at, metadata, at);
    }
}
