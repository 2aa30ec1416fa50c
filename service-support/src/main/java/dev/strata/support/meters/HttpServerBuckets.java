package dev.strata.support.meters;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Gives Quarkus' {@code http.server.requests} timer a dozen fixed latency buckets
 * ({@code http_server_requests_seconds_bucket}), so that a dashboard computes percentiles over every replica with
 * {@code histogram_quantile}. Fixed buckets rather than Micrometer's percentile histogram: a dozen series per
 * endpoint instead of some seventy, and percentiles computed in the service could not be summed across replicas.
 */
@Singleton
public class HttpServerBuckets {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    /** Upper bounds, 5 ms to 30 s: the batch endpoints' seconds as well as the reads' milliseconds. */
    static final double[] BOUNDS_NANOS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
            .toArray();

    @Produces
    @Singleton
    public MeterFilter httpServerRequestBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(BOUNDS_NANOS)
                        .build()
                        .merge(config);
            }
        };
    }
}
