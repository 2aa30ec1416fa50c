package dev.strata.model.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * {@code data} of {@code events_archived}: one per archived object, published with the deletion of exactly those
 * events from the hot store, so a consumer knows which of a group's events now live only in the archive and what
 * they added up to. {@code revenueByCurrency} is absent when the object holds no revenue.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventsArchived(
        UUID groupId,
        long count,
        Map<String, Long> countsByType,
        Map<String, BigDecimal> revenueByCurrency,
        @Required Instant minTime,
        @Required Instant maxTime,
        String objectKey,
        String sha256,
        LocalDate date,
        UUID runId) {}
