package dev.strata.archival.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.archival.config.ArchivalConfig;
import dev.strata.archival.store.EventRow;
import dev.strata.model.time.Rfc3339;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The archive's file format: gzip-compressed NDJSON, one event per line with every column of the events table
 * ({@code id, groupId, type, actorId, targetId, timestamp, metadata, recordedAt}), times as RFC 3339 UTC
 * strings. DuckDB, Athena and Spark read it as is. The same events always give the same bytes (fixed field
 * order, metadata copied verbatim, a gzip header without a timestamp), so an object rewritten after a crash
 * is identical to the first attempt.
 */
@ApplicationScoped
public class ArchiveFormat {

    /** The bytes are gzip; the name ({@value #EXTENSION}) says what is inside, which is what readers go by. */
    public static final String CONTENT_TYPE = "application/gzip";

    public static final String EXTENSION = ".ndjson.gz";

    /** Exact numbers: metadata read back from an object must be stored again without rounding. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final JsonFactory JSON = MAPPER.getFactory();

    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString GROUP_ID = new SerializedString("groupId");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString ACTOR_ID = new SerializedString("actorId");
    private static final SerializedString TARGET_ID = new SerializedString("targetId");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString METADATA = new SerializedString("metadata");
    private static final SerializedString RECORDED_AT = new SerializedString("recordedAt");
    private static final int TIME_LENGTH = Rfc3339.MAX_LENGTH;

    private final int level;

    @Inject
    public ArchiveFormat(ArchivalConfig config) {
        this(config.gzipLevel());
    }

    ArchiveFormat(int level) {
        this.level = level;
    }

    /** One event read from an object, with its line exactly as stored (for rewriting what a restore leaves). */
    public record Line(EventRow event, byte[] raw) {}

    /** The object holding {@code events}, in this order: each line written by one generator straight into gzip. */
    public byte[] write(List<EventRow> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, events.size() * 64));
        try (GZIPOutputStream gzip = new LevelledGzip(bytes, level)) {
            try (JsonGenerator json = generator(gzip)) {
                char[] time = new char[TIME_LENGTH];
                for (EventRow event : events) {
                    writeEvent(json, event, time);
                    json.writeRaw('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] writeLines(List<byte[]> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new LevelledGzip(bytes, level)) {
            for (byte[] line : lines) {
                gzip.write(line);
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public List<Line> read(byte[] gzipped) {
        List<Line> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 64 * 1024)) {
            byte[] all = in.readAllBytes();
            int start = 0;
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    if (i > start) {
                        byte[] raw = java.util.Arrays.copyOfRange(all, start, i);
                        lines.add(new Line(parse(raw), raw));
                    }
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an archived object is not valid gzip NDJSON", e);
        }
        return lines;
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = JSON.createGenerator(out);
        json.setRootValueSeparator(null); // lines are separated by the newline written after each, nothing else
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the gzip trailer is written by its own close
        return json;
    }

    private static void writeEvent(JsonGenerator json, EventRow event, char[] time) throws IOException {
        json.writeStartObject();
        json.writeFieldName(ID);
        json.writeString(event.id().toString());
        json.writeFieldName(GROUP_ID);
        json.writeString(event.groupId().toString());
        json.writeFieldName(TYPE);
        json.writeString(event.type());
        json.writeFieldName(ACTOR_ID);
        json.writeString(event.actorId() == null ? null : event.actorId().toString());
        json.writeFieldName(TARGET_ID);
        json.writeString(event.targetId() == null ? null : event.targetId().toString());
        json.writeFieldName(TIMESTAMP);
        writeTime(json, event.timestamp(), time);
        json.writeFieldName(METADATA);
        json.writeRawValue(event.metadataJson());
        json.writeFieldName(RECORDED_AT);
        writeTime(json, event.recordedAt(), time);
        json.writeEndObject();
    }

    private static void writeTime(JsonGenerator json, Instant instant, char[] buffer) throws IOException {
        int length = Rfc3339.format(instant, buffer);
        if (length < 0) {
            json.writeString(instant.toString());
        } else {
            json.writeString(buffer, 0, length);
        }
    }

    static EventRow parse(byte[] line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        return new EventRow(
                UUID.fromString(node.get("id").asText()),
                UUID.fromString(node.get("groupId").asText()),
                node.get("type").asText(),
                uuid(node.get("actorId")),
                uuid(node.get("targetId")),
                Instant.parse(node.get("timestamp").asText()),
                MAPPER.writeValueAsString(node.get("metadata")),
                Instant.parse(node.get("recordedAt").asText()));
    }

    private static UUID uuid(JsonNode node) {
        return node == null || node.isNull() ? null : UUID.fromString(node.asText());
    }

    /** gzip at a chosen level; the JDK writes a header without modification time, so output is reproducible. */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(ByteArrayOutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }
}
