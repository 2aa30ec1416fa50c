package dev.strata.archival.service;

import dev.strata.archival.store.EventRow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The archive's bytes: times as {@link Instant#toString()} writes them, one line per event, reproducible. */
class ArchiveFormatTest {

    private final ArchiveFormat format = new ArchiveFormat(6);

    @Test
    void shouldWriteTimesAsInstantToStringDoes() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(-86_400, 1), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.100Z"),
                Instant.parse("2025-10-24T08:05:03.000120Z"), Instant.parse("1969-12-31T23:59:59.5Z")));
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
        char[] buffer = new char[Rfc3339.MAX_LENGTH];
        for (Instant instant : instants) {
            int length = Rfc3339.format(instant, buffer);
            assertEquals(instant.toString(), new String(buffer, 0, length), "epoch second " + instant.getEpochSecond()
                    + " nano " + instant.getNano());
        }
        assertEquals(-1, Rfc3339.format(Instant.parse("+10000-01-01T00:00:00Z"), buffer));
    }

    @Test
    void shouldWriteOneLinePerEventThatReadsBackAsTheEvent() throws IOException {
        UUID group = UUID.randomUUID();
        List<EventRow> events = List.of(
                new EventRow(UUID.randomUUID(), group, "user_login", UUID.randomUUID(), null,
                        Instant.parse("2024-03-01T10:00:00.123456Z"), "{\"device\":\"web\",\"n\":1}",
                        Instant.parse("2024-03-01T10:00:01Z")),
                new EventRow(UUID.randomUUID(), group, "revenue_generated", null, UUID.randomUUID(),
                        Instant.parse("2024-03-01T23:59:59.999999999Z"), "{\"amount\":12.50,\"currency\":\"EUR\"}",
                        Instant.parse("2024-03-02T00:00:00.5Z")));
        byte[] object = format.write(events);

        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String first = events.get(0).id().toString();
        String expectedFirst = "{\"id\":\"" + first + "\",\"groupId\":\"" + group + "\",\"type\":\"user_login\","
                + "\"actorId\":\"" + events.get(0).actorId() + "\",\"targetId\":null,"
                + "\"timestamp\":\"2024-03-01T10:00:00.123456Z\",\"metadata\":{\"device\":\"web\",\"n\":1},"
                + "\"recordedAt\":\"2024-03-01T10:00:01Z\"}";
        String[] lines = text.split("\n", -1);
        assertEquals(3, lines.length, "two lines, each ending in a newline");
        assertEquals(expectedFirst, lines[0]);
        assertEquals("", lines[2]);
        assertEquals(new String(format.line(events.get(1)), StandardCharsets.UTF_8), lines[1]);
        assertEquals(events, format.read(object).stream().map(ArchiveFormat.Line::event).toList());
        assertArrayEquals(object, format.write(events), "the same events give the same bytes");
    }
}
