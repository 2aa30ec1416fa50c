package dev.strata.support.meters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PolledValueTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final PolledValue value = new PolledValue(Duration.ofSeconds(60), nanos::get);

    @Test
    void shouldReadNaNBeforeTheFirstReading() {
        assertThat(value.get()).isNaN();
    }

    @Test
    void shouldReadTheLastReadingWhileItIsFresh() {
        value.set(42);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        value.set(7);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());

        assertThat(value.get()).isEqualTo(7.0);
    }

    @Test
    void shouldReadNaNOnceTheLastReadingIsOlderThanStaleAfterAndTheValueAgainOnTheNextReading() {
        value.set(42);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos() + 1);

        assertThat(value.get()).isNaN();

        value.set(3);
        assertThat(value.get()).isEqualTo(3.0);
    }

    @Test
    void shouldKeepAZeroReading() {
        value.set(0);

        assertThat(value.get()).isZero();
    }
}
