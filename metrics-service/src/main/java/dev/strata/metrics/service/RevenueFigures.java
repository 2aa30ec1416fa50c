package dev.strata.metrics.service;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;

/**
 * Revenue summed per currency and shown as one figure.
 *
 * @param converted   the sums of every currency with a rate, converted to the reporting currency and added: two
 *                    decimals, half up
 * @param byCurrency  the exact sums per ISO 4217 code, never converted
 * @param unconverted the codes of {@code byCurrency} without a rate, left out of {@code converted}, in order
 */
public record RevenueFigures(
        BigDecimal converted, SortedMap<String, BigDecimal> byCurrency, List<String> unconverted) {}
