package dev.strata.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    private static MetricsConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MetricsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "30d" durations
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(MetricsConfig.class);
    }

    @Test
    void shouldReportInUsdWithNoRatesWhenNothingIsConfigured() {
        MetricsConfig.Revenue revenue = mapping(Map.of()).revenue();

        assertThat(revenue.reportingCurrency()).isEqualTo("USD");
        assertThat(revenue.rates()).isEmpty();
    }

    @Test
    void shouldReadRatesByQuotedCurrencyCode() {
        MetricsConfig.Revenue revenue = mapping(Map.of(
                        "strata.metrics.revenue.reporting-currency", "EUR",
                        "strata.metrics.revenue.rates.\"USD\"", "0.92",
                        "strata.metrics.revenue.rates.GBP", "1.17"))
                .revenue();

        assertThat(revenue.reportingCurrency()).isEqualTo("EUR");
        assertThat(revenue.rates())
                .containsOnly(Map.entry("USD", new BigDecimal("0.92")), Map.entry("GBP", new BigDecimal("1.17")));
    }
}
