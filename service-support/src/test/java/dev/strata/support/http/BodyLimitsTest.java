package dev.strata.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.problem.BodyTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyLimitsTest {

    private final BodyLimits limits = new BodyLimits(
            List.of(
                    BodyLimit.of("/groups/[^/]+/[A-Za-z]+:batch", 1000, "strata.ingest.max-batch-body-bytes"),
                    BodyLimit.of("/groups/[^/]+/imports", 5000, "strata.ingest.imports.max-body-bytes")),
            64);

    @Test
    void shouldTakeTheFirstRuleMatchingTheWholePath() {
        assertThat(limits.forPath("/groups/g/things:batch").maxBytes()).isEqualTo(1000);
        assertThat(limits.forPath("/groups/g/events:batch").property()).isEqualTo("strata.ingest.max-batch-body-bytes");
        assertThat(limits.forPath("/groups/g/imports").maxBytes()).isEqualTo(5000);
    }

    @Test
    void shouldFallBackToThePlatformDefault() {
        assertThat(limits.forPath("/groups/g/imports/x").maxBytes()).isEqualTo(64);
        assertThat(limits.forPath("/groups").maxBytes()).isEqualTo(64);
        assertThat(limits.forPath("/groups/g/things:batchx").property()).isEqualTo("strata.http.max-body-bytes");
    }

    @Test
    void shouldPassABodyOfExactlyTheLimit() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[64]), limits.forPath("/x"));
        assertThat(in.readAllBytes()).hasSize(64);
    }

    @Test
    void shouldRefuseTheFirstBytePastTheLimitWithoutReadingFurther() {
        CountingStream source = new CountingStream(10_000_000);
        InputStream in = new LimitedInputStream(source, limits.forPath("/x"));
        assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(BodyTooLargeException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(413);
            assertThat(e.problem().type()).isEqualTo("https://strata.dev/problems/payload-too-large");
            assertThat(e.problem().extensions())
                    .containsEntry("limit", "strata.http.max-body-bytes")
                    .containsEntry("maximum", 64L);
        });
        assertThat(source.served).isEqualTo(65);
    }

    @Test
    void shouldCountSingleByteReads() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), limits.forPath("/x"));
        for (int i = 0; i < 64; i++) {
            assertThat(in.read()).isZero();
        }
        assertThatThrownBy(in::read).isInstanceOf(BodyTooLargeException.class);
    }

    /** An endless source that counts what it served. */
    private static final class CountingStream extends InputStream {
        private final long size;
        long served;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return served < size ? (int) (served++ & 0) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = (int) Math.min(len, size - served);
            served += n;
            return n == 0 && len > 0 ? -1 : n;
        }
    }
}
