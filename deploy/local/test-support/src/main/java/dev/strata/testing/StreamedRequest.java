package dev.strata.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 request over a plain socket whose body streams from an {@link InputStream} (chunked, or with the
 * Content-Length given), while the answer is read as soon as it comes: a server that refuses an oversize body
 * answers before the client has sent it all, and most clients only read after sending. Nothing of the body is
 * held in memory, so tests can send hundreds of megabytes.
 */
public final class StreamedRequest {

    /** The answer, and how many body bytes had been sent when it was complete. */
    public record Answer(int status, Map<String, String> headers, String body, long bytesSent) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private StreamedRequest() {
    }

    /**
     * @param contentLength the declared length, or -1 to send the body chunked
     */
    public static Answer send(String host, int port, String method, String path, Map<String, String> headers,
                              InputStream body, long contentLength) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(contentLength < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength
                    + "\r\n").append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> writeBody(out, body, contentLength < 0, sent), "streamed-request-body");
            writer.setDaemon(true);
            writer.start();
            Answer answer = read(new BufferedInputStream(socket.getInputStream()), sent);
            writer.interrupt();
            return answer;
        }
    }

    private static void writeBody(OutputStream out, InputStream body, boolean chunked, AtomicLong sent) {
        byte[] buffer = new byte[64 * 1024];
        try (body) {
            for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(buffer, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                sent.addAndGet(n);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException ignored) {
            // the server answered and closed the connection before the body was all sent: that is the point
        }
    }

    private static Answer read(InputStream in, AtomicLong sent) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("the connection closed before any answer");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            long length = Long.parseLong(headers.get("content-length"));
            for (long i = 0; i < length; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                body.write(b);
            }
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (String size = line(in); size != null; size = line(in)) {
                int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (length == 0) {
                    break;
                }
                body.write(in.readNBytes(length));
                line(in);
            }
        }
        return new Answer(code, headers, body.toString(StandardCharsets.UTF_8), sent.get());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body made of {@code prefix}, then {@code unit} {@code times} times, then {@code suffix}, generated as read. */
    public static InputStream repeated(String prefix, String unit, long times, String suffix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] repeated = unit.getBytes(StandardCharsets.UTF_8);
        byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
        long total = head.length + (long) repeated.length * times + tail.length;
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position >= total) {
                    return -1;
                }
                int n = 0;
                while (n < length && position < total) {
                    long at = position;
                    byte[] source;
                    int from;
                    if (at < head.length) {
                        source = head;
                        from = (int) at;
                    } else if (at - head.length < (long) repeated.length * times) {
                        source = repeated;
                        from = (int) ((at - head.length) % repeated.length);
                    } else {
                        source = tail;
                        from = (int) (at - head.length - (long) repeated.length * times);
                    }
                    int take = Math.min(source.length - from, length - n);
                    System.arraycopy(source, from, buffer, offset + n, take);
                    n += take;
                    position += take;
                }
                return n;
            }
        };
    }

    /** The length of {@link #repeated} with the same arguments. */
    public static long repeatedLength(String prefix, String unit, long times, String suffix) {
        return prefix.getBytes(StandardCharsets.UTF_8).length + (long) unit.getBytes(StandardCharsets.UTF_8).length
                * times + suffix.getBytes(StandardCharsets.UTF_8).length;
    }
}
