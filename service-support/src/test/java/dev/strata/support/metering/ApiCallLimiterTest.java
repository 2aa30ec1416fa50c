package dev.strata.support.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.metering.ApiCallAllowance.Allowance;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limiter's arithmetic, on allowances given by hand: no server. */
class ApiCallLimiterTest {

    private static MeteringConfig config(Duration refresh) {
        return new MeteringConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration window() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Limit limit() {
                return new Limit() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public Duration refresh() {
                        return refresh;
                    }

                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(1);
                    }
                };
            }
        };
    }

    @Test
    void shouldLetThroughWhatIsLeftOfTheAllowanceThenRefuse() {
        ApiCallLimiter limiter = new ApiCallLimiter(
                group -> Uni.createFrom().item(new Allowance(10L, 7L)), config(Duration.ofMinutes(1)));
        UUID group = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(group).await().indefinitely()).isNull();
        }
        ApiCallLimiter.Refusal refusal = limiter.admit(group).await().indefinitely();
        assertThat(refusal).isNotNull();
        assertThat(refusal.limit()).isEqualTo(10);
        assertThat(refusal.used()).isEqualTo(10);
        // refused calls do not count: still 10
        assertThat(limiter.admit(group).await().indefinitely().used()).isEqualTo(10);
    }

    @Test
    void shouldNeverLetTwoConcurrentCallsTakeTheLastOne() throws Exception {
        ApiCallLimiter limiter = new ApiCallLimiter(
                group -> Uni.createFrom().item(new Allowance(50L, 0L)), config(Duration.ofMinutes(1)));
        UUID group = UUID.randomUUID();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                done.add(callers.submit(() -> {
                    start.await();
                    if (limiter.admit(group).await().indefinitely() == null) {
                        admitted.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> call : done) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(admitted.get()).isEqualTo(50);
    }

    @Test
    void shouldReadAGroupsAllowanceOncePerRefreshAndLetCallsThroughWhenItCannot() {
        AtomicInteger reads = new AtomicInteger();
        ApiCallLimiter counted = new ApiCallLimiter(
                id -> {
                    reads.incrementAndGet();
                    return Uni.createFrom().item(new Allowance(null, 1_000_000L));
                },
                config(Duration.ofMinutes(1)));
        UUID group = UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            assertThat(counted.admit(group).await().indefinitely())
                    .as("unlimited")
                    .isNull();
        }
        assertThat(reads.get()).isEqualTo(1);

        ApiCallLimiter away = new ApiCallLimiter(
                id -> Uni.createFrom().failure(new IllegalStateException("down")), config(Duration.ofMinutes(1)));
        assertThat(away.admit(group).await().indefinitely()).isNull();
        ApiCallLimiter unknown = new ApiCallLimiter(id -> Uni.createFrom().nullItem(), config(Duration.ofMinutes(1)));
        assertThat(unknown.admit(group).await().indefinitely()).isNull();
    }

    @Test
    void shouldCountTheSecondsToTheNextUtcMonth() {
        assertThat(at("2026-12-31T23:59:59.500Z")).isEqualTo(1);
        assertThat(at("2026-12-31T23:59:59Z")).isEqualTo(1);
        assertThat(at("2026-02-01T00:00:00Z")).isEqualTo(28L * 86_400);
        assertThat(at("2028-02-15T12:00:00Z")).isEqualTo(14L * 86_400 + 12 * 3_600); // leap year: 29 days
    }

    private static long at(String instant) {
        return new ApiCallLimiter(
                        group -> Uni.createFrom().nullItem(),
                        config(Duration.ofMinutes(1)),
                        Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
                .secondsToNextMonth();
    }
}
