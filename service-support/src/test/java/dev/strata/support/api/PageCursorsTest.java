package dev.strata.support.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorsTest {

    @Test
    void shouldEncodeTheFieldsJoinedByBarsAsUnpaddedBase64Url() {
        // "a|b" is the bytes 61 7C 62: 011000 010111 110001 100010 -> Y X x i
        assertThat(PageCursors.encode("a", "b")).isEqualTo("YXxi");
        // "ab" needs padding in plain base64 ("YWI="); the cursor leaves it out
        assertThat(PageCursors.encode("ab")).isEqualTo("YWI");
    }

    @Test
    void shouldDecodeWhatItEncodedIntoTheSameFields() {
        String cursor = PageCursors.encode("2024-01-31T00:00:00Z", "0190a000-0000-7000-8000-000000000001", 42);

        assertThat(PageCursors.decode(cursor, 3))
                .containsExactly("2024-01-31T00:00:00Z", "0190a000-0000-7000-8000-000000000001", "42");
    }

    @Test
    void shouldReadNoCursorAsTheFirstPage() {
        assertThat(PageCursors.decode(null, 2)).isNull();
        assertThat(PageCursors.decode("", 2)).isNull();
    }

    @Test
    void shouldRefuseATamperedCursorAsAMalformedRequest() {
        // '*' is not in the base64url alphabet
        assertMalformed(() -> PageCursors.decode("YX*i", 2));
        // "a|b|c" has three fields where two are expected
        assertMalformed(() -> PageCursors.decode(PageCursors.encode("a", "b", "c"), 2));
        // longer than any cursor the service gives out
        assertMalformed(() -> PageCursors.decode("A".repeat(513), 1));
    }

    @Test
    void shouldAcceptOnlyUuidsAndTimesWithinTheRangeAsThoseFields() {
        UUID id = UUID.fromString("0190a000-0000-7000-8000-000000000001");
        assertThat(PageCursors.uuid("0190a000-0000-7000-8000-000000000001")).isEqualTo(id);
        assertThat(PageCursors.time("2024-01-31T00:00:00Z")).isEqualTo(Instant.ofEpochSecond(1_706_659_200L));

        assertMalformed(() -> PageCursors.uuid("1-1-1-1-1"));
        assertMalformed(() -> PageCursors.time("+10000-01-01T00:00:00Z"));
        assertMalformed(() -> PageCursors.time("yesterday"));
    }

    @Test
    void shouldTakeThePageSizeFromOneToTheMaximumOrTheFallback() {
        assertThat(PageCursors.pageSize(null, 50, 200)).isEqualTo(50);
        assertThat(PageCursors.pageSize("200", 50, 200)).isEqualTo(200);
        assertMalformed(() -> PageCursors.pageSize("0", 50, 200));
        assertMalformed(() -> PageCursors.pageSize("201", 50, 200));
    }

    private static void assertMalformed(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().type()).isEqualTo("https://strata.dev/problems/malformed-request");
        });
    }

    @Test
    void shouldNameTheCursorParameterWhenItRefusesOne() {
        assertThatThrownBy(() -> PageCursors.decode("YX*i", 2))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors()).containsExactly(FieldError.of("cursor", "invalid")));
    }
}
