package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.events.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The stream archive read from S3 as an outside tool would, without the stream-archive module's code the suite
 * checks: segment objects found by listing {@code stream/strata.events/} and named
 * {@code partition=<p>/<from>-<to>.ndjson.gz} (20 digits each, {@code to} exclusive), each gunzipped and its lines
 * parsed with Jackson. A line holds one topic record; its key and value are the record's bytes, as UTF-8 text
 * ({@code key}, {@code value}) or in Base64 ({@code keyBase64}, {@code valueBase64}).
 */
final class StreamArchiveReader {

    static final String BUCKET = "strata-archive";
    static final String PREFIX = "stream/" + Topics.EVENTS + "/";
    private static final Pattern SEGMENT =
            Pattern.compile(Pattern.quote(PREFIX) + "partition=(\\d+)/(\\d{20})-(\\d{20})\\.ndjson\\.gz");

    /** A segment object: offsets {@code [from, to)} of a partition, as its key names them. */
    record Segment(String key, int partition, long from, long to) {}

    /** One line of a segment; {@code timestamp} in epoch milliseconds (-1 when the line has none). */
    record ArchivedRecord(int partition, long offset, long timestamp, byte[] key, byte[] value) {

        String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }
    }

    private final S3Client s3;

    StreamArchiveReader(S3Client s3) {
        this.s3 = s3;
    }

    /** Every segment object by partition, ordered by offset range; other keys (the manifest) are left out. */
    Map<Integer, List<Segment>> segments() {
        Map<Integer, List<Segment>> segments = new TreeMap<>();
        try {
            s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(PREFIX))
                    .contents()
                    .forEach(object -> {
                        Matcher name = SEGMENT.matcher(object.key());
                        if (name.matches()) {
                            int partition = Integer.parseInt(name.group(1));
                            segments.computeIfAbsent(partition, p -> new ArrayList<>())
                                    .add(new Segment(
                                            object.key(),
                                            partition,
                                            Long.parseLong(name.group(2)),
                                            Long.parseLong(name.group(3))));
                        }
                    });
        } catch (NoSuchBucketException e) {
            return segments;
        }
        segments.values()
                .forEach(list ->
                        list.sort(Comparator.comparingLong(Segment::from).thenComparingLong(Segment::to)));
        return segments;
    }

    /** The segment's lines, in the order they were written. */
    List<ArchivedRecord> read(Segment segment) throws IOException {
        List<ArchivedRecord> records = new ArrayList<>();
        try (ResponseInputStream<GetObjectResponse> body =
                        s3.getObject(b -> b.bucket(BUCKET).key(segment.key()));
                BufferedReader lines = new BufferedReader(
                        new InputStreamReader(new GZIPInputStream(body, 64 * 1024), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode record = Stack.JSON.readTree(line);
                JsonNode timestamp = record.path("timestamp");
                records.add(new ArchivedRecord(
                        record.path("partition").asInt(-1),
                        record.path("offset").asLong(-1),
                        timestamp.isTextual()
                                ? Instant.parse(timestamp.asText()).toEpochMilli()
                                : -1,
                        bytes(record, "key"),
                        bytes(record, "value")));
            }
        }
        return records;
    }

    /**
     * Hands over a partition's archived records below {@code until}, following its chain of segments from offset 0
     * (each starts where the one before ends). Returns where the chain stops: {@code until} or beyond, or the first
     * offset no segment starts at.
     */
    long follow(List<Segment> partitionSegments, long until, Consumer<ArchivedRecord> each) throws IOException {
        long cursor = 0;
        for (Segment segment : partitionSegments) {
            if (cursor >= until) {
                break;
            }
            if (segment.from() != cursor) {
                continue;
            }
            for (ArchivedRecord record : read(segment)) {
                if (record.offset() < until) {
                    each.accept(record);
                }
            }
            cursor = segment.to();
        }
        return cursor;
    }

    /** Where the manifest says each partition's archive ends ({@code partitions[].to}); empty before the first. */
    Map<Integer, Long> manifestEnds() throws IOException {
        Map<Integer, Long> ends = new TreeMap<>();
        byte[] manifest;
        try {
            manifest = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(PREFIX + "manifest.json"))
                    .asByteArray();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return ends;
        }
        for (JsonNode partition : Stack.JSON.readTree(manifest).path("partitions")) {
            ends.put(partition.path("partition").asInt(), partition.path("to").asLong());
        }
        return ends;
    }

    private static byte[] bytes(JsonNode record, String field) {
        if (record.hasNonNull(field)) {
            return record.get(field).asText().getBytes(StandardCharsets.UTF_8);
        }
        if (record.hasNonNull(field + "Base64")) {
            return Base64.getDecoder().decode(record.get(field + "Base64").asText());
        }
        return null;
    }
}
