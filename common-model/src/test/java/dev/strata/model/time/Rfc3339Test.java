package dev.strata.model.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    /** Edge cases and 100,000 random instants between 1906 and 2223, a quarter each with 0, 3, 6 and 9 digits. */
    private static List<Instant> instants() {
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(-86_400, 1),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("2024-02-29T12:00:00.100Z"),
                Instant.parse("2025-10-24T08:05:03.000120Z"),
                Instant.parse("1969-12-31T23:59:59.5Z")));
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        return instants;
    }

    @Test
    void shouldWriteWhatInstantToStringWrites() {
        char[] buffer = new char[Rfc3339.MAX_LENGTH];
        for (Instant instant : instants()) {
            int length = Rfc3339.format(instant, buffer);
            assertThat(new String(buffer, 0, length))
                    .as("epoch second %d, nano %d", instant.getEpochSecond(), instant.getNano())
                    .isEqualTo(instant.toString());
        }
        assertThat(Rfc3339.format(Instant.parse("+10000-01-01T00:00:00Z"), buffer))
                .isEqualTo(-1);
    }

    @Test
    void shouldReadWhatInstantParseReads() {
        for (Instant instant : instants()) {
            assertThat(Rfc3339.parse(instant.toString())).isEqualTo(instant);
        }
        // fractions of any length, not only the groups of three toString writes
        for (String text : List.of(
                "2026-11-28T10:15:30.1Z",
                "2026-11-28T10:15:30.12Z",
                "2026-11-28T10:15:30.1234Z",
                "2026-11-28T10:15:30.12345678Z",
                "2024-02-29T00:00:00Z",
                "2026-11-28T23:59:59.000000000Z")) {
            assertThat(Rfc3339.parse(text))
                    .as(text)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
        }
    }

    @Test
    void shouldLeaveEverythingElseToTheGeneralParser() {
        for (String text : List.of(
                "2026-11-28T10:15:30+01:00",
                "2026-11-28t10:15:30z",
                "2026-11-28T23:59:60Z",
                "2026-02-29T10:15:30Z",
                "2026-13-01T10:15:30Z",
                "2026-11-28T24:00:00Z",
                "2026-11-28T10:15:30.Z",
                "2026-11-28T10:15:30.1234567890Z",
                "2026-11-28 10:15:30Z",
                "2026-11-28T10:15Z",
                "",
                "yesterday",
                "+12026-11-28T10:15:30Z",
                "2026-11-28T10:15:3xZ")) {
            assertThat(Rfc3339.parse(text)).as(text).isNull();
        }
    }
}
