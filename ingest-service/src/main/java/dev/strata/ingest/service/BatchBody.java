package dev.strata.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A batch request body as it is read: hashed on the way when an Idempotency-Key needs the request's fingerprint,
 * and admitted to the {@link LargeBatchGate} once it grows past the large-body threshold. Its size limit is the
 * platform's (service-support's {@code LimitedInputStream}, set for the batch paths by {@code IngestBodyLimits}),
 * which refuses it at the first byte past {@code strata.ingest.max-batch-body-bytes}, chunked or sized.
 */
public final class BatchBody extends FilterInputStream {

    private final MessageDigest digest;
    private final LargeBatchGate gate;
    private boolean admitted;
    private long count;

    /**
     * @param hash whether to keep the body's SHA-256 ({@link #sha256()})
     * @param gate admits the body once it counts as large; released by {@link #close()}
     */
    public BatchBody(InputStream in, boolean hash, LargeBatchGate gate) {
        super(in);
        this.digest = hash ? sha256Digest() : null;
        this.gate = gate;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
            if (digest != null) {
                digest.update((byte) b);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
            if (digest != null) {
                digest.update(buffer, offset, n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    private void counted(int n) {
        count += n;
        if (!admitted && gate != null && count > gate.thresholdBytes()) {
            gate.enter();
            admitted = true;
        }
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return count;
    }

    /** The SHA-256 of what was read, in hex; only when constructed with {@code hash}. */
    public String sha256() {
        if (digest == null) {
            throw new IllegalStateException("this body is not hashed");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Leaves the large-batch gate if this body entered it. The request's stream itself belongs to the server. */
    @Override
    public void close() {
        if (admitted) {
            admitted = false;
            gate.leave();
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
