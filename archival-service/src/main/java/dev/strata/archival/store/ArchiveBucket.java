package dev.strata.archival.store;

import dev.strata.archival.config.ArchivalConfig;
import dev.strata.support.s3.S3Config;
import dev.strata.support.s3.S3Objects;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The archive bucket: objects go in whole or not at all (single PUT, or multipart above the configured size,
 * aborted on failure), and {@link #verify} reads an object back to prove it holds exactly the bytes that were
 * sent. Every SDK failure surfaces as an {@link ArchiveStorageException} naming the step and the key.
 */
@ApplicationScoped
public class ArchiveBucket {

    private static final Logger LOG = Logger.getLogger(ArchiveBucket.class);
    /** S3 refuses smaller parts (all but the last). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    private final S3Client s3;
    private final ArchivalConfig config;
    private final String where;

    public ArchiveBucket(S3Client s3, ArchivalConfig config, S3Config s3Config) {
        this.s3 = s3;
        this.config = config;
        this.where = "bucket " + config.bucket()
                + s3Config.endpoint().map(e -> " at " + e).orElse("");
    }

    public String name() {
        return config.bucket();
    }

    /** Best effort at start-up: an unreachable store must not keep the service down; every run checks again. */
    void onStart(@Observes StartupEvent event) {
        try {
            ensureBucket();
        } catch (ArchiveStorageException e) {
            LOG.warnf("Archive bucket not ready at start-up (runs will fail until it is): %s", e.getMessage());
        }
    }

    /** Checks the bucket answers, creating it when missing and allowed. */
    public void ensureBucket() {
        boolean exists;
        try {
            exists = S3Objects.bucketExists(s3, config.bucket());
        } catch (SdkException e) {
            throw failure("checking", null, e);
        }
        if (!exists) {
            create();
        }
    }

    private void create() {
        if (!config.createBucket()) {
            throw new ArchiveStorageException("S3 " + where + " does not exist and creating it is turned off");
        }
        try {
            s3.createBucket(b -> b.bucket(config.bucket()));
            LOG.infof("Created archive %s", where);
        } catch (SdkException e) {
            throw failure("creating", null, e);
        }
    }

    /** Uploads the bytes under {@code key}, replacing any earlier attempt. */
    public void put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        try {
            if (bytes.length > config.multipartThreshold()) {
                putMultipart(key, bytes, contentType, metadata);
            } else {
                s3.putObject(
                        b -> b.bucket(config.bucket())
                                .key(key)
                                .contentType(contentType)
                                .contentLength((long) bytes.length)
                                .metadata(metadata),
                        RequestBody.fromBytes(bytes));
            }
        } catch (SdkException e) {
            throw failure("uploading", key, e);
        }
    }

    private void putMultipart(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(config.bucket())
                        .key(key)
                        .contentType(contentType)
                        .metadata(metadata))
                .uploadId();
        try {
            long partSize = Math.max(MIN_PART_SIZE, config.multipartPartSize());
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < bytes.length; offset += partSize, number++) {
                int length = (int) Math.min(partSize, bytes.length - offset);
                int partNumber = number;
                // A copy of the part: RequestBody.fromByteBuffer reads a wrapped array from its start, not its
                // position (found by the read-back check).
                byte[] part = Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
                String etag = s3.uploadPart(
                                b -> b.bucket(config.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .contentLength((long) length),
                                RequestBody.fromBytes(part))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
            }
            s3.completeMultipartUpload(b -> b.bucket(config.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** What a read-back found; {@code problem} is null when size and SHA-256 both match. */
    public record Verification(long bytes, String sha256, String problem) {

        public boolean ok() {
            return problem == null;
        }
    }

    /** Reads the object back with one GET: its size and SHA-256 must be those of the bytes that were sent. */
    public Verification verify(String key, String expectedSha256, long expectedBytes) {
        try {
            byte[] stored =
                    s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray();
            if (stored.length != expectedBytes) {
                return new Verification(stored.length, null, "size " + stored.length + " instead of " + expectedBytes);
            }
            String sha = S3Objects.sha256(stored);
            return new Verification(
                    expectedBytes,
                    sha,
                    sha.equals(expectedSha256) ? null : "SHA-256 " + sha + " instead of " + expectedSha256);
        } catch (NoSuchKeyException e) {
            return new Verification(-1, null, "object missing");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return new Verification(-1, null, "object missing");
            }
            throw failure("verifying", key, e);
        } catch (SdkException e) {
            throw failure("verifying", key, e);
        }
    }

    public byte[] get(String key) {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key));
            return object.asByteArray();
        } catch (SdkException e) {
            throw failure("reading", key, e);
        }
    }

    /** Deletes the object; deleting one that is already gone succeeds. */
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("deleting", key, e);
        }
    }

    private ArchiveStorageException failure(String step, String key, SdkException e) {
        String what = key == null ? "" : " " + key;
        return new ArchiveStorageException("S3 " + where + " failed " + step + what + ": " + e.getMessage(), e);
    }
}
