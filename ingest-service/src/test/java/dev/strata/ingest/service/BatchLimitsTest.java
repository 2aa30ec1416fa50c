package dev.strata.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.problem.FieldError;
import dev.strata.support.messaging.EventStreamConfig;
import dev.strata.support.outbox.OutboxEvent;
import dev.strata.support.problem.ProblemException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchLimitsTest {

    /** BatchLimits with events of at most {@code maxEventBytes}; the checks below read no other setting. */
    private static BatchLimits limits(int maxEventBytes) {
        EventStreamConfig stream = (EventStreamConfig) Proxy.newProxyInstance(
                EventStreamConfig.class.getClassLoader(),
                new Class<?>[] {EventStreamConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("maxEventBytes")) {
                        return maxEventBytes;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new BatchLimits(null, stream, null);
    }

    @Test
    void shouldAnswerAnEmptyBatchWith422NamingItems() {
        ProblemException e = BatchLimits.noItems();
        assertThat(e.problem().status()).isEqualTo(422);
        assertThat(e.problem().errors()).containsExactly(FieldError.of("items", "must not be empty"));
    }

    @Test
    void shouldRejectAnAtomicBatchWithInvalidItemsCountingItemsNotErrors() {
        // three errors on two items (1 and 3)
        List<FieldError> errors = List.of(
                FieldError.at(1, "name", "must not be blank"),
                FieldError.at(1, "type", "unknown"),
                FieldError.at(3, "name", "must not be blank"));
        assertThatThrownBy(() -> limits(1_000_000).rejectIfAtomic(new BatchOptions(true, "active"), errors))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(422);
                    assertThat(e.problem().detail())
                            .isEqualTo("The batch is atomic and 2 item(s) are invalid: nothing was written.");
                    assertThat(e.problem().errors()).isEqualTo(errors);
                });
    }

    @Test
    void shouldLetANonAtomicOrValidBatchThrough() {
        List<FieldError> errors = List.of(FieldError.at(0, "name", "must not be blank"));
        assertThatCode(() -> limits(1_000_000).rejectIfAtomic(new BatchOptions(false, "active"), errors))
                .doesNotThrowAnyException();
        assertThatCode(() -> limits(1_000_000).rejectIfAtomic(new BatchOptions(true, "active"), List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectABatchWithNoValidItemButNotOneWithSome() {
        List<FieldError> errors = List.of(FieldError.at(0, "name", "must not be blank"));
        assertThatThrownBy(() -> limits(1_000_000).rejectIfNoneValid(0, errors))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(422));
        assertThatCode(() -> limits(1_000_000).rejectIfNoneValid(1, errors)).doesNotThrowAnyException();
    }

    @Test
    void shouldClearAnItemByItsLengthsWithoutWritingItsEvent() {
        // 4096 (frame) + 6 x 900 characters + 0 = 9,496 bytes at most, within 10,000: the event is never built
        List<FieldError> errors = new ArrayList<>();
        boolean fits = limits(10_000)
                .eventFits(
                        0,
                        "name",
                        900,
                        0,
                        () -> {
                            throw new AssertionError("the event was built");
                        },
                        errors);
        assertThat(fits).isTrue();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldMeasureAWrittenEventInUtf8BytesAndNameTheFieldWhenItIsTooLarge() {
        // "é" is 2 bytes in UTF-8: 5 of them 10 bytes (fits a limit of 10), 6 of them 12 (does not)
        BatchLimits limits = limits(10);
        List<FieldError> errors = new ArrayList<>();
        assertThat(limits.eventFits(4, "metadata", new OutboxEvent(UUID.randomUUID(), "ééééé"), errors))
                .isTrue();
        assertThat(limits.eventFits(7, "metadata", new OutboxEvent(UUID.randomUUID(), "éééééé"), errors))
                .isFalse();
        assertThat(errors)
                .containsExactly(FieldError.at(
                        7,
                        "metadata",
                        "makes an event of 12 bytes, larger than the limit of 10 bytes"
                                + " (strata.events.max-event-bytes; JSON writes a control character as 6 bytes)"));
    }
}
