package dev.strata.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body for {@link RawHttp}: its exact length, known before a byte is sent (for {@code Content-Length}),
 * and a fresh stream of its bytes each time it is opened. Generated bodies are a list of segments, each a unit repeated
 * some number of times, produced as they are read: 200 MB of spaces never exist in the test JVM at once.
 */
public final class RequestBody {

    /** {@code unit} repeated {@code times} times. */
    public record Segment(byte[] unit, long times) {

        long length() {
            return unit.length * times;
        }
    }

    /** Units are packed into blocks of about this size, so a one-byte unit is not copied one byte at a time. */
    private static final int BLOCK = 64 * 1024;

    private final List<Segment> segments;
    private final long length;

    private RequestBody(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        this.length = segments.stream().mapToLong(Segment::length).sum();
    }

    public static RequestBody text(String text) {
        return new RequestBody(List.of(new Segment(text.getBytes(StandardCharsets.UTF_8), 1)));
    }

    /** Segments as given; each repeated unit is packed into blocks for reading. */
    public static RequestBody generated(List<Segment> segments) {
        List<Segment> packed = new ArrayList<>();
        for (Segment segment : segments) {
            byte[] unit = segment.unit();
            if (unit.length == 0 || segment.times() == 0) {
                continue;
            }
            int perBlock = Math.max(1, BLOCK / unit.length);
            if (segment.times() >= perBlock && perBlock > 1) {
                byte[] block = new byte[unit.length * perBlock];
                for (int i = 0; i < perBlock; i++) {
                    System.arraycopy(unit, 0, block, i * unit.length, unit.length);
                }
                packed.add(new Segment(block, segment.times() / perBlock));
                if (segment.times() % perBlock > 0) {
                    packed.add(new Segment(unit, segment.times() % perBlock));
                }
            } else {
                packed.add(segment);
            }
        }
        return new RequestBody(packed);
    }

    /** {@code prefix}, then {@code unit} {@code times} times, then {@code suffix}. */
    public static RequestBody repeated(String prefix, String unit, long times, String suffix) {
        return generated(List.of(
                new Segment(prefix.getBytes(StandardCharsets.UTF_8), 1),
                new Segment(unit.getBytes(StandardCharsets.UTF_8), times),
                new Segment(suffix.getBytes(StandardCharsets.UTF_8), 1)));
    }

    public long length() {
        return length;
    }

    public InputStream open() {
        return new InputStream() {
            private int segment;
            private long repeat;
            private int offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int from, int wanted) {
                if (wanted == 0) {
                    return 0;
                }
                int written = 0;
                while (written < wanted && segment < segments.size()) {
                    Segment current = segments.get(segment);
                    byte[] unit = current.unit();
                    int n = Math.min(wanted - written, unit.length - offset);
                    System.arraycopy(unit, offset, target, from + written, n);
                    written += n;
                    offset += n;
                    if (offset == unit.length) {
                        offset = 0;
                        if (++repeat == current.times()) {
                            repeat = 0;
                            segment++;
                        }
                    }
                }
                return written == 0 ? -1 : written;
            }
        };
    }

    /** The first {@code max} characters, for reports. */
    public String preview(int max) {
        try (InputStream in = open()) {
            byte[] head = in.readNBytes((int) Math.min(max, length));
            return new String(head, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
