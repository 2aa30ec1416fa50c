package dev.strata.support.http;

import dev.strata.support.problem.BodyTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts a request body as its reader pulls it and fails with {@link BodyTooLargeException} on the first byte
 * past the limit, so a chunked body is never read (nor buffered by whoever reads it) beyond limit + 1 bytes.
 */
public final class LimitedInputStream extends FilterInputStream {

    private final BodyLimit limit;
    private final Runnable onExceeded;
    private long count;

    public LimitedInputStream(InputStream in, BodyLimit limit) {
        this(in, limit, () -> {});
    }

    /** @param onExceeded run once, when the limit is passed (e.g. to close the connection after the answer) */
    public LimitedInputStream(InputStream in, BodyLimit limit, Runnable onExceeded) {
        super(in);
        this.limit = limit;
        this.onExceeded = onExceeded;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Never ask for more than one byte past the limit: what is read beyond it is refused anyway.
        long room = limit.maxBytes() + 1 - count;
        int n = super.read(b, off, (int) Math.min(len, room));
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit.maxBytes() + 1 - count));
        advance(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Closes the body, except one that passed its limit: closing the transport's stream would read the rest of the
     * body to its end (Quarkus' VertxInputStream drains on close, and parsers close their source when they fail),
     * and the answer would wait for it. The connection is closed after the 413 instead.
     */
    @Override
    public void close() throws IOException {
        if (count <= limit.maxBytes()) {
            super.close();
        }
    }

    private void advance(long n) {
        boolean within = count <= limit.maxBytes();
        count += n;
        if (count > limit.maxBytes()) {
            if (within) {
                onExceeded.run();
            }
            throw BodyTooLargeException.whileReading(limit.maxBytes(), limit.property());
        }
    }
}
