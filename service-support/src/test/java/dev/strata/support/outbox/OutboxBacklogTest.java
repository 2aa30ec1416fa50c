package dev.strata.support.outbox;

import static dev.strata.support.outbox.OutboxStore.EXACT_BACKLOG_UP_TO;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboxBacklogTest {

    @Test
    void shouldReportTheExactCountBelowTheCapWhateverTheStatisticsSay() {
        assertThat(OutboxStore.pending(0, 12_345L)).isZero();
        assertThat(OutboxStore.pending(17, 0L)).isEqualTo(17);
        assertThat(OutboxStore.pending(EXACT_BACKLOG_UP_TO - 1, null)).isEqualTo(EXACT_BACKLOG_UP_TO - 1);
    }

    @Test
    void shouldReportTheLiveRowCountAtTheCapWhenItIsLarger() {
        assertThat(OutboxStore.pending(EXACT_BACKLOG_UP_TO, 1_250_000L)).isEqualTo(1_250_000);
    }

    @Test
    void shouldNeverReportLessThanTheCapOnceTheCountReachedIt() {
        // Statistics lag behind (or were reset by a crash): the count says at least the cap.
        assertThat(OutboxStore.pending(EXACT_BACKLOG_UP_TO, 40_000L)).isEqualTo(EXACT_BACKLOG_UP_TO);
        assertThat(OutboxStore.pending(EXACT_BACKLOG_UP_TO, null)).isEqualTo(EXACT_BACKLOG_UP_TO);
    }
}
