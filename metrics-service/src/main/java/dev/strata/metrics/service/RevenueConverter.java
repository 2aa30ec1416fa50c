package dev.strata.metrics.service;

import dev.strata.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns sums per currency into one figure in the reporting currency at the configured rates
 * (strata.metrics.revenue.*). A currency without a rate is never guessed: its sum stays out of the figure and is
 * named as unconverted.
 */
@ApplicationScoped
public class RevenueConverter {

    private final String reportingCurrency;
    private final Map<String, BigDecimal> rates;

    @Inject
    public RevenueConverter(MetricsConfig config) {
        this(config.revenue().reportingCurrency(), config.revenue().rates());
    }

    RevenueConverter(String reportingCurrency, Map<String, BigDecimal> rates) {
        this.reportingCurrency = reportingCurrency;
        this.rates = Map.copyOf(rates);
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    public RevenueFigures convert(Map<String, BigDecimal> sums) {
        SortedMap<String, BigDecimal> byCurrency = new TreeMap<>(sums);
        BigDecimal converted = BigDecimal.ZERO;
        List<String> unconverted = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> sum : byCurrency.entrySet()) {
            BigDecimal rate = reportingCurrency.equals(sum.getKey()) ? BigDecimal.ONE : rates.get(sum.getKey());
            if (rate == null) {
                unconverted.add(sum.getKey());
            } else {
                converted = converted.add(sum.getValue().multiply(rate));
            }
        }
        return new RevenueFigures(
                converted.setScale(Ratios.SCALE, RoundingMode.HALF_UP), byCurrency, List.copyOf(unconverted));
    }
}
