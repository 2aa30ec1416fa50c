package dev.strata.model.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    @Test
    void shouldContainBothEndsToTheMicrosecond() {
        assertThat(TimeRange.contains(Instant.parse("0001-01-01T00:00:00Z"))).isTrue();
        assertThat(TimeRange.contains(Instant.parse("9999-12-31T23:59:59.999999Z")))
                .isTrue();
        assertThat(TimeRange.contains(Instant.parse("2026-11-28T10:15:30Z"))).isTrue();
    }

    @Test
    void shouldRefuseTimesJustOutsideEitherEnd() {
        assertThat(TimeRange.contains(Instant.parse("0000-12-31T23:59:59.999999999Z")))
                .isFalse();
        assertThat(TimeRange.contains(Instant.parse("9999-12-31T23:59:59.999999001Z")))
                .isFalse();
        assertThat(TimeRange.contains(Instant.parse("+10000-01-01T00:00:00Z"))).isFalse();
        assertThat(TimeRange.contains(Instant.MIN)).isFalse();
        assertThat(TimeRange.contains(Instant.MAX)).isFalse();
    }

    @Test
    void shouldDescribeTheRangeWithItsEnds() {
        assertThat(TimeRange.DESCRIPTION).isEqualTo("between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z");
    }
}
