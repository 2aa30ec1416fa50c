package dev.strata.model.events.payload;

import java.math.BigDecimal;

/**
 * {@code data} of {@code quota_threshold_crossed}: a group's counter passed {@code threshold} percent of its limit
 * in {@code period} (a month such as {@code 2026-11}, or {@code total}). {@code current} and {@code limit} are
 * shown as quota-service's reads show them: gigabytes for {@code storage_gb}, the count otherwise.
 */
public record QuotaThresholdCrossed(
        @Required String metric,
        @Required int threshold,
        @Required BigDecimal current,
        @Required BigDecimal limit,
        @Required String period,
        @Required String plan) {}
