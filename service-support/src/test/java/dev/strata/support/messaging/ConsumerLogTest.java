package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsumerLogTest {

    @Test
    void shouldKeepAShortRecordWholeAsItsExcerpt() {
        assertThat(ConsumerLog.excerpt("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"type\":\"x\"}");
    }

    @Test
    void shouldCutALongRecordsExcerptAtItsCharacterLimit() {
        byte[] value = "é".repeat(ConsumerLog.EXCERPT_CHARS + 10).getBytes(StandardCharsets.UTF_8);

        String excerpt = ConsumerLog.excerpt(value);

        assertThat(excerpt).hasSize(ConsumerLog.EXCERPT_CHARS).isEqualTo("é".repeat(ConsumerLog.EXCERPT_CHARS));
    }

    @Test
    void shouldShowNulAsTheReplacementCharacterSoPostgresqlTextTakesIt() {
        assertThat(ConsumerLog.text("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(ConsumerLog.text(null)).isNull();
    }
}
