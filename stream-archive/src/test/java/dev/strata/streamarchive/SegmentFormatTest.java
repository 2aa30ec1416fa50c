package dev.strata.streamarchive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.support.messaging.StreamRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SegmentFormatTest {

    private static final long TIME = Instant.parse("2026-12-03T09:12:44.120Z").toEpochMilli();

    @Test
    void shouldGiveBackEveryRecordByteForByteWhateverItHolds() {
        byte[] event = "{\"id\":\"e1\",\"text\":\"a\\nb \\u0000 é \\u2028\"}".getBytes(StandardCharsets.UTF_8);
        byte[] notText = {(byte) 0xff, 0, '\n', (byte) 0xc3};
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                record(3, 10, "group-a", event),
                record(3, 12, null, notText),
                record(3, 13, "group-b", null),
                record(3, 14, "group-c", new byte[0]));

        List<StreamRecord> read = SegmentFormat.read("strata.events", SegmentFormat.write(records));

        assertThat(read).hasSize(4);
        assertThat(read).extracting(StreamRecord::offset).containsExactly(10L, 12L, 13L, 14L);
        assertThat(read).extracting(StreamRecord::partition).containsOnly(3);
        assertThat(read).extracting(StreamRecord::key).containsExactly("group-a", null, "group-b", "group-c");
        assertThat(read.get(0).value()).isEqualTo(event);
        assertThat(read.get(1).value()).isEqualTo(notText);
        assertThat(read.get(2).value()).isNull();
        assertThat(read.get(3).value()).isEmpty();
        assertThat(read.get(0).publishedAt()).isEqualTo(Instant.ofEpochMilli(TIME));
        assertThat(read.get(0).position()).isEqualTo("strata.events-3@10");
    }

    @Test
    void shouldWriteOneJsonObjectPerLineThatOutsideToolsRead() throws IOException {
        byte[] event = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes =
                SegmentFormat.write(List.of(record(0, 7, "g", event), record(0, 8, "g", new byte[] {(byte) 0x80})));

        String text;
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            text = new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.path("partition").asInt()).isZero();
        assertThat(first.path("offset").asLong()).isEqualTo(7);
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-12-03T09:12:44.120Z");
        assertThat(first.path("key").asText()).isEqualTo("g");
        assertThat(json.readTree(first.path("value").asText()).path("id").asText())
                .isEqualTo("e1");
        assertThat(first.path("headers").path("content-type").asText()).isEqualTo("application/cloudevents+json");
        JsonNode second = json.readTree(lines[1]);
        assertThat(second.has("value")).isFalse();
        assertThat(second.path("valueBase64").asText()).isEqualTo("gA==");
    }

    @Test
    void shouldNameSegmentsSoTheySortByOffsetAndReadTheirRangeBack() {
        StreamLayout layout = new StreamLayout("stream", "strata.events");
        String key = layout.segmentKey(4, 1_000, 25_000);

        assertThat(key)
                .isEqualTo("stream/strata.events/partition=4/00000000000000001000-00000000000000025000.ndjson.gz");
        assertThat(StreamLayout.range(key)).contains(new StreamLayout.Range(4, 1_000, 25_000));
        assertThat(layout.segmentKey(4, 9, 10)).isLessThan(layout.segmentKey(4, 10, 11));
        assertThat(StreamLayout.range(layout.manifestKey())).isEqualTo(Optional.empty());
        assertThat(layout.manifestKey()).isEqualTo("stream/strata.events/manifest.json");
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders(List.of(
                new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8))));
        return new ConsumerRecord<>(
                "strata.events",
                partition,
                offset,
                TIME,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length(),
                value == null ? -1 : value.length,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }
}
