package dev.strata.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.problem.BodyTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {

    private static final BodyLimit TEN = BodyLimit.of("/.*", 10, "strata.test.max-bytes");

    @Test
    void shouldReadABodyOfExactlyTheLimit() throws IOException {
        try (InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), TEN)) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
    }

    @Test
    void shouldFailOnTheFirstBytePastTheLimitNamingTheProperty() {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[11]), TEN);

        assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(BodyTooLargeException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(413);
            assertThat(e.problem().detail()).isEqualTo("The body is larger than the limit of 10 bytes.");
            assertThat(e.problem().extensions())
                    .containsEntry("limit", "strata.test.max-bytes")
                    .containsEntry("maximum", 10L);
        });
    }

    @Test
    void shouldNeverPullMoreThanOneBytePastTheLimitFromTheSource() {
        ByteArrayInputStream source = new ByteArrayInputStream(new byte[1000]);
        InputStream in = new LimitedInputStream(source, TEN);

        assertThatThrownBy(() -> in.read(new byte[1000], 0, 1000)).isInstanceOf(BodyTooLargeException.class);
        // 11 bytes taken, 989 left unread
        assertThat(source.available()).isEqualTo(989);
    }

    @Test
    void shouldTellOnceWhenTheLimitIsPassed() {
        AtomicInteger told = new AtomicInteger();
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[20]), TEN, told::incrementAndGet);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(BodyTooLargeException.class);
        assertThatThrownBy(in::read).isInstanceOf(BodyTooLargeException.class);
        assertThat(told).hasValue(1);
    }

    @Test
    void shouldCountSkippedBytesAgainstTheLimit() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[20]), TEN);

        assertThat(in.skip(8)).isEqualTo(8);
        assertThatThrownBy(() -> in.skip(8)).isInstanceOf(BodyTooLargeException.class);
    }
}
