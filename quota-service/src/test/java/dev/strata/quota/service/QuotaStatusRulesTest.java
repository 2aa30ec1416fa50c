package dev.strata.quota.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status rules on exact integers (the HTTP answers are QuotaStatusTest's, against the running service). */
class QuotaStatusRulesTest {

    @Test
    void shouldChangeStatusExactlyAtEightyNinetyFiveAndOneHundredPercent() {
        assertThat(QuotaStatus.of(7_999, 10_000L)).isEqualTo(QuotaStatus.OK);
        assertThat(QuotaStatus.of(8_000, 10_000L)).isEqualTo(QuotaStatus.WARNING);
        assertThat(QuotaStatus.of(9_499, 10_000L)).isEqualTo(QuotaStatus.WARNING);
        assertThat(QuotaStatus.of(9_500, 10_000L)).isEqualTo(QuotaStatus.CRITICAL);
        assertThat(QuotaStatus.of(9_999, 10_000L)).isEqualTo(QuotaStatus.CRITICAL);
        assertThat(QuotaStatus.of(10_000, 10_000L)).isEqualTo(QuotaStatus.EXCEEDED);
        assertThat(QuotaStatus.of(12_000, 10_000L)).isEqualTo(QuotaStatus.EXCEEDED);
    }

    @Test
    void shouldNeverRoundAlmostEightyPercentUpToWarning() {
        // 79.99...%: 7999999 * 100 < 10000000 * 80
        assertThat(QuotaStatus.of(7_999_999, 10_000_000L)).isEqualTo(QuotaStatus.OK);
        assertThat(QuotaStatus.percentUsed(7_999_999, 10_000_000L)).isEqualTo(79.99);
    }

    @Test
    void shouldCallNoLimitUnlimitedAndAZeroLimitFull() {
        assertThat(QuotaStatus.of(1_000_000, null)).isEqualTo(QuotaStatus.UNLIMITED);
        assertThat(QuotaStatus.percentUsed(5, null)).isNull();
        assertThat(QuotaStatus.of(0, 0L)).isEqualTo(QuotaStatus.EXCEEDED);
        assertThat(QuotaStatus.percentUsed(0, 0L)).isEqualTo(100.0);
    }

    @Test
    void shouldRoundPercentUsedDownToTwoDecimals() {
        // 2/3 = 66.666...%
        assertThat(QuotaStatus.percentUsed(2, 3L)).isEqualTo(66.66);
        assertThat(QuotaStatus.percentUsed(3, 3L)).isEqualTo(100.0);
    }

    @Test
    void shouldReportOnlyTheThresholdsAMoveCrossesUpwards() {
        assertThat(QuotaStatus.crossed(70, 96, 100)).containsExactly(80, 95);
        assertThat(QuotaStatus.crossed(80, 100, 100)).containsExactly(95, 100);
        assertThat(QuotaStatus.crossed(96, 70, 100)).isEmpty();
        assertThat(QuotaStatus.crossed(0, 50, 0)).isEmpty();
    }

    @Test
    void shouldNeedAttentionFromWarningOn() {
        assertThat(QuotaStatus.OK.needsAttention()).isFalse();
        assertThat(QuotaStatus.UNLIMITED.needsAttention()).isFalse();
        assertThat(QuotaStatus.WARNING.needsAttention()).isTrue();
        assertThat(QuotaStatus.EXCEEDED.needsAttention()).isTrue();
        assertThat(QuotaStatus.CRITICAL.json()).isEqualTo("critical");
    }
}
