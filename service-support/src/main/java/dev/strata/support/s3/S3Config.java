package dev.strata.support.s3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the archive's S3 store is and how to talk to it. */
@ConfigMapping(prefix = "strata.s3")
public interface S3Config {

    /** Endpoint of an S3-compatible store (S3Proxy, MinIO); absent: AWS's own endpoint for the region. */
    Optional<String> endpoint();

    @WithDefault("us-east-1")
    String region();

    /** Static credentials; absent: the SDK's default chain (environment, web identity, instance profile). */
    Optional<String> accessKey();

    Optional<String> secretKey();

    /** Path-style addressing ({@code endpoint/bucket/key}), which S3-compatible stores need. */
    @WithDefault("true")
    boolean pathStyle();

    /**
     * The SDK's own request checksums and aws-chunked uploads. Off by default: S3Proxy rejects both, and every
     * object is verified by reading it back and comparing its SHA-256 anyway.
     */
    @WithDefault("false")
    boolean sdkChecksums();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("60s")
    Duration socketTimeout();
}
