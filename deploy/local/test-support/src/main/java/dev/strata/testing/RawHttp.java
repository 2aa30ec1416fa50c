package dev.strata.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, so tests (the hostile corpus, the platform contract,
 * the services' hostile-input tests) can send what well-behaved clients refuse to: NUL and raw bytes in the request line and headers, a {@code Content-Length} that lies, a body that
 * never ends. One connection per request ({@code Connection: close}).
 *
 * <p>The body is written on a thread of its own while the response is read, so a server that answers early (413
 * after the first megabytes) is heard at once and the rest of the body is not sent. Bodies are streamed from an
 * {@link InputStream}, never held: chunked ({@code Transfer-Encoding: chunked}) or sized ({@code Content-Length}).
 */
public final class RawHttp {

    /** Response bodies are kept up to this size; the rest is read and dropped. */
    public static final int MAX_KEPT_BODY = 1 << 20;

    private static final int CHUNK = 64 * 1024;

    private RawHttp() {}

    /** What goes on the wire. {@code body} is null for none; {@code declaredLength} overrides its real length. */
    public record Request(
            String method,
            String target,
            List<Map.Entry<String, String>> headers,
            RequestBody body,
            boolean chunked,
            Long declaredLength) {}

    /**
     * What came back. {@code status} is -1 when no complete response arrived ({@code error} says why);
     * {@code sendError} is set when the server stopped reading the body (usually after answering early).
     */
    public record Response(
            int status,
            Map<String, String> headers,
            byte[] body,
            long millis,
            long bytesSent,
            String error,
            String sendError) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static Response send(String host, int port, Request request, Duration timeout) {
        long start = System.nanoTime();
        AtomicReference<String> sendError = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        Thread writer = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(host, port, request));
            out.flush();
            if (request.body() != null) {
                writer = new Thread(
                        () -> {
                            try (InputStream body = request.body().open()) {
                                writeBody(body, out, request.chunked(), sent);
                            } catch (IOException e) {
                                sendError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                            }
                        },
                        "hostile-body-writer");
                writer.setDaemon(true);
                writer.start();
            }
            Response response = read(new BufferedInputStream(socket.getInputStream()), start);
            if (writer != null && writer.isAlive()) {
                // Answered before the body was all sent: stop sending (closing the socket ends the writer).
                socket.close();
                writer.join(10_000);
            }
            return new Response(
                    response.status(),
                    response.headers(),
                    response.body(),
                    response.millis(),
                    sent.get(),
                    response.error(),
                    sendError.get());
        } catch (IOException e) {
            return failed(start, e.getClass().getSimpleName() + ": " + e.getMessage(), sent.get(), sendError.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(start, "interrupted", sent.get(), sendError.get());
        } finally {
            if (writer != null) {
                writer.interrupt();
            }
        }
    }

    private static Response failed(long start, String error, long sent, String sendError) {
        return new Response(-1, Map.of(), new byte[0], elapsed(start), sent, error, sendError);
    }

    private static byte[] head(String host, int port, Request request) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (request.body() != null && request.chunked()) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (request.declaredLength() != null) {
            head.append("Content-Length: ").append(request.declaredLength()).append("\r\n");
        } else if (request.body() != null) {
            head.append("Content-Length: ").append(request.body().length()).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        // UTF-8: what the corpus writes in a path or header is sent byte for byte, NUL included.
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeBody(InputStream body, OutputStream out, boolean chunked, AtomicLong sent)
            throws IOException {
        byte[] buffer = new byte[CHUNK];
        for (int n = body.readNBytes(buffer, 0, CHUNK); n > 0; n = body.readNBytes(buffer, 0, CHUNK)) {
            if (chunked) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buffer, 0, n);
                out.write(CRLF);
            } else {
                out.write(buffer, 0, n);
            }
            sent.addAndGet(n);
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("stopped: the response had arrived");
            }
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Reads one response (skipping 1xx), its body by chunks, by length or up to the end of the stream. */
    public static Response read(InputStream in, long start) {
        try {
            while (true) {
                String statusLine = line(in);
                if (statusLine == null) {
                    return failed(start, "the connection closed before any response", 0, null);
                }
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                    return failed(start, "not an HTTP response: " + abbreviate(statusLine, 80), 0, null);
                }
                int status = Integer.parseInt(parts[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    if (colon > 0) {
                        headers.merge(
                                header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                header.substring(colon + 1).trim(),
                                (a, b) -> a + ", " + b);
                    }
                }
                if (status >= 100 && status < 200) {
                    continue;
                }
                byte[] body = body(in, headers);
                return new Response(status, headers, body, elapsed(start), 0, null, null);
            }
        } catch (IOException | RuntimeException e) {
            return failed(start, e.getClass().getSimpleName() + ": " + e.getMessage(), 0, null);
        }
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        String encoding = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            for (String size = line(in); size != null; size = line(in)) {
                int semicolon = size.indexOf(';');
                long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    break;
                }
                copy(in, kept, n);
                line(in);
            }
        } else if (length != null) {
            copy(in, kept, Long.parseLong(length.trim()));
        } else {
            copy(in, kept, Long.MAX_VALUE);
        }
        return kept.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream kept, long n) throws IOException {
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("the body ended after " + (n - left) + " of " + n + " bytes");
            }
            if (kept.size() < MAX_KEPT_BODY) {
                kept.write(buffer, 0, Math.min(read, MAX_KEPT_BODY - kept.size()));
            }
            left -= read;
        }
    }

    /** A CRLF- (or LF-) terminated line as ISO-8859-1, without its terminator; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c == -1) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 64 * 1024) {
                throw new IOException("a response line longer than 64 KiB");
            }
            line.append((char) c);
        }
    }

    public static String abbreviate(String text, int max) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Headers in the order given; a list, so the same name may appear twice. */
    public static List<Map.Entry<String, String>> headers(Map<String, String> named) {
        return new ArrayList<>(named.entrySet());
    }
}
