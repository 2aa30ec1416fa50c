package dev.strata.support.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What every service that keeps objects in S3 does alike: find out whether a bucket is there, create it, and the
 * SHA-256 stored with an object to verify it by. SDK failures are left to the caller, which names them its way.
 */
public final class S3Objects {

    private S3Objects() {}

    /**
     * Whether the bucket answers. A missing bucket is {@code NoSuchBucketException} from the SDK, or a bare 404 from a
     * store that sends no error code on HEAD; any other failure is thrown.
     */
    public static boolean bucketExists(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Creates the bucket unless it is there; one created meanwhile by another replica is fine. */
    public static void ensureBucket(S3Client s3, String bucket) {
        if (!bucketExists(s3, bucket)) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException raced) {
                // another replica created it meanwhile
            }
        }
    }

    /** Hex SHA-256 of the bytes, as objects are stored and verified with. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
