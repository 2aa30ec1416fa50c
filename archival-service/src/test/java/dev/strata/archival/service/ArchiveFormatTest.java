package dev.strata.archival.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.archival.store.EventRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The archive's bytes: one line per event with every column, times as RFC 3339 UTC, reproducible. */
class ArchiveFormatTest {

    private final ArchiveFormat format = new ArchiveFormat(6);

    @Test
    void shouldWriteOneLinePerEventThatReadsBackAsTheEvent() throws IOException {
        UUID group = UUID.randomUUID();
        List<EventRow> events = List.of(
                new EventRow(
                        UUID.randomUUID(),
                        group,
                        "user_login",
                        UUID.randomUUID(),
                        null,
                        Instant.parse("2024-03-01T10:00:00.123456Z"),
                        "{\"device\":\"web\",\"n\":1}",
                        Instant.parse("2024-03-01T10:00:01Z")),
                new EventRow(
                        UUID.randomUUID(),
                        group,
                        "revenue_generated",
                        null,
                        UUID.randomUUID(),
                        Instant.parse("2024-03-01T23:59:59.999999999Z"),
                        "{\"amount\":12.50,\"currency\":\"EUR\"}",
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
        String expectedSecond = "{\"id\":\"" + events.get(1).id() + "\",\"groupId\":\"" + group + "\","
                + "\"type\":\"revenue_generated\",\"actorId\":null,\"targetId\":\""
                + events.get(1).targetId() + "\","
                + "\"timestamp\":\"2024-03-01T23:59:59.999999999Z\","
                + "\"metadata\":{\"amount\":12.50,\"currency\":\"EUR\"},"
                + "\"recordedAt\":\"2024-03-02T00:00:00.500Z\"}";
        assertEquals(expectedSecond, lines[1]);
        assertEquals(
                events,
                format.read(object).stream().map(ArchiveFormat.Line::event).toList());
        assertArrayEquals(object, format.write(events), "the same events give the same bytes");
    }
}
