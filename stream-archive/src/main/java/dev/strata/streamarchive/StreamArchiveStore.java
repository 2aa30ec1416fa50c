package dev.strata.streamarchive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.support.s3.S3Objects;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The stream archive's objects in S3: segments and the manifest. Every SDK failure is a {@link StreamArchiveException}. */
@ApplicationScoped
public class StreamArchiveStore {

    static final String SHA256 = "sha256";
    static final String RECORDS = "records";

    private final S3Client s3;
    private final StreamArchiveConfig config;
    private final ObjectMapper json;

    public StreamArchiveStore(S3Client s3, StreamArchiveConfig config, ObjectMapper json) {
        this.s3 = s3;
        this.config = config;
        this.json = json;
    }

    /** A stored segment: its key and what its key and metadata say. */
    public record StoredSegment(String key, int partition, long from, long to, long bytes) {}

    public String bucket() {
        return config.bucket();
    }

    public void ensureBucket() {
        try {
            S3Objects.ensureBucket(s3, config.bucket());
        } catch (SdkException e) {
            throw failure("checking or creating the bucket", null, e);
        }
    }

    /** Stores a segment (replacing an earlier attempt of the same range) and returns its SHA-256. */
    public String putSegment(String key, byte[] bytes, int records) {
        String sha256 = S3Objects.sha256(bytes);
        try {
            s3.putObject(
                    b -> b.bucket(config.bucket())
                            .key(key)
                            .contentType(SegmentFormat.CONTENT_TYPE)
                            .metadata(Map.of(SHA256, sha256, RECORDS, Integer.toString(records))),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("uploading", key, e);
        }
        return sha256;
    }

    /** A segment's bytes, checked against the SHA-256 stored with it. */
    public byte[] readSegment(String key) {
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
        byte[] bytes = object.asByteArray();
        String expected = object.response().metadata().get(SHA256);
        if (expected != null && !expected.equals(S3Objects.sha256(bytes))) {
            throw new StreamArchiveException("Segment " + key + " in bucket " + config.bucket()
                    + " does not match its SHA-256: it was changed or damaged after it was written");
        }
        return bytes;
    }

    /** The segments stored for a partition, in offset order. */
    public List<StoredSegment> listSegments(StreamLayout layout, int partition) {
        List<StoredSegment> segments = new ArrayList<>();
        String token = null;
        try {
            do {
                String continuation = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(config.bucket())
                        .prefix(layout.partitionPrefix(partition))
                        .continuationToken(continuation));
                for (S3Object object : page.contents()) {
                    StreamLayout.range(object.key())
                            .ifPresent(range -> segments.add(new StoredSegment(
                                    object.key(), range.partition(), range.from(), range.to(), object.size())));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("listing", layout.partitionPrefix(partition), e);
        }
        segments.sort((a, b) -> Long.compare(a.from(), b.from()));
        return segments;
    }

    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("deleting", key, e);
        }
    }

    /** The manifest, or empty when nothing was archived yet (or the bucket does not exist). */
    public Optional<StreamManifest> manifest(StreamLayout layout) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(layout.manifestKey()))
                    .asByteArray();
            return Optional.of(json.readValue(bytes, StreamManifest.class));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("reading", layout.manifestKey(), e);
        } catch (java.io.IOException e) {
            throw new StreamArchiveException(
                    "The manifest " + layout.manifestKey() + " is not readable: " + e.getMessage(), e);
        }
    }

    public void writeManifest(StreamLayout layout, StreamManifest manifest) {
        byte[] bytes;
        try {
            bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(config.bucket()).key(layout.manifestKey()).contentType("application/json"),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("uploading", layout.manifestKey(), e);
        }
    }

    private StreamArchiveException failure(String step, String key, SdkException e) {
        return new StreamArchiveException(
                "Stream archive: " + step + (key == null ? "" : " " + key) + " in bucket " + config.bucket()
                        + " failed: " + e.getMessage(),
                e);
    }
}
