package dev.strata.streamarchive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.support.messaging.StreamRecord;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A segment's bytes: gzip-compressed NDJSON, one topic record per line, in offset order:
 * <pre>{"partition":3,"offset":1042,"timestamp":"2026-12-03T09:12:44.120Z","key":"…","headers":{"content-type":"…"},"value":"…"}</pre>
 * {@code key} and {@code value} are the record's bytes as a JSON string when they are UTF-8 (the events are
 * CloudEvents JSON, so a reader parses {@code value} as JSON), else {@code keyBase64} / {@code valueBase64}; a
 * null key or value is left out. {@code headers} maps each header to its UTF-8 text ({@code base64:…} when it is not
 * text). The bytes round-trip exactly, whatever a record holds: a record no consumer
 * could apply is archived like any other, so a rebuild sets it aside again for the same reason.
 */
public final class SegmentFormat {

    public static final String CONTENT_TYPE = "application/gzip";
    private static final JsonFactory JSON = new JsonFactory();
    private static final int LEVEL = Deflater.BEST_SPEED;

    private SegmentFormat() {}

    public static byte[] write(List<ConsumerRecord<byte[], byte[]>> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, records.size() * 128));
        try (OutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024) {
                    {
                        def.setLevel(LEVEL);
                    }
                };
                JsonGenerator json = JSON.createGenerator(gzip)) {
            json.setRootValueSeparator(null);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                json.writeStartObject();
                json.writeNumberField("partition", record.partition());
                json.writeNumberField("offset", record.offset());
                json.writeStringField(
                        "timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
                writeBytes(json, "key", record.key());
                if (record.headers().iterator().hasNext()) {
                    json.writeObjectFieldStart("headers");
                    for (Header header : record.headers()) {
                        String text = header.value() == null ? null : utf8(header.value());
                        json.writeStringField(
                                header.key(),
                                text != null
                                        ? text
                                        : header.value() == null
                                                ? null
                                                : "base64:"
                                                        + Base64.getEncoder().encodeToString(header.value()));
                    }
                    json.writeEndObject();
                }
                writeBytes(json, "value", record.value());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The records of a segment, as the topic's consumers see them. */
    public static List<StreamRecord> read(String topic, byte[] segment) {
        List<StreamRecord> records = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(segment), 64 * 1024), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isEmpty()) {
                    records.add(readLine(topic, line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    private static StreamRecord readLine(String topic, String line) throws IOException {
        int partition = -1;
        long offset = -1;
        Instant timestamp = null;
        String key = null;
        byte[] value = null;
        try (JsonParser json = JSON.createParser(line)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a segment line is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "partition" -> partition = json.getIntValue();
                    case "offset" -> offset = json.getLongValue();
                    case "timestamp" -> timestamp = Instant.parse(json.getText());
                    case "key" -> key = json.getText();
                    case "keyBase64" ->
                        key = new String(Base64.getDecoder().decode(json.getText()), StandardCharsets.UTF_8);
                    case "value" -> value = json.getText().getBytes(StandardCharsets.UTF_8);
                    case "valueBase64" -> value = Base64.getDecoder().decode(json.getText());
                    default -> json.skipChildren();
                }
            }
        }
        if (partition < 0 || offset < 0 || timestamp == null) {
            throw new IOException("a segment line lacks its partition, offset or timestamp");
        }
        return new StreamRecord(topic, partition, offset, key, timestamp, value);
    }

    private static void writeBytes(JsonGenerator json, String field, byte[] bytes) throws IOException {
        if (bytes == null) {
            return;
        }
        String text = utf8(bytes);
        if (text != null) {
            json.writeStringField(field, text);
        } else {
            json.writeStringField(field + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** The bytes as text when they are well-formed UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
