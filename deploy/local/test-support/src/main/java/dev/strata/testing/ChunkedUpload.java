package dev.strata.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a request head that declares a large body without sending it, or a large chunked body over a plain socket while reading the answer on another thread, the way a client
 * that streams an upload sees an early refusal. HTTP clients of the JDK and RestAssured either buffer the body
 * or wait for it to be sent before reading; this one shows how much the server took before it answered and
 * closed.
 */
final class ChunkedUpload {

    private static final int CHUNK = 64 * 1024;

    record Result(String statusLine, Map<String, String> headers, String body, long bytesSent) {
        int status() {
            String[] parts = statusLine.split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private ChunkedUpload() {
    }

    static Result send(int port, String method, String path, String token, long totalBytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(socket));
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] spaces = new byte[CHUNK];
            Arrays.fill(spaces, (byte) ' ');
            byte[] head = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\r\n".getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < totalBytes && !answer.isDone()) {
                    out.write(head);
                    out.write(spaces);
                    out.write(tail);
                    sent += CHUNK;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedByServer) {
                // expected: the server answered and closed the connection
            }
            return parse(answer.get(60, TimeUnit.SECONDS), sent);
        }
    }

    /** Sends only the head of a request that declares {@code declaredLength} bytes, and reads the answer. */
    static Result declare(int port, String method, String path, String token, long declaredLength) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return parse(readAll(socket), 0);
        }
    }

    private static byte[] readAll(Socket socket) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
                if (complete(received.toByteArray())) {
                    break;
                }
            }
        } catch (IOException reset) {
            // what arrived before the connection was reset is the answer
        }
        return received.toByteArray();
    }

    /** Whether a full response with a Content-Length body has arrived (a 100 Continue alone is not one). */
    private static boolean complete(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        while (end >= 0 && text.startsWith("HTTP/1.1 100")) {
            text = text.substring(end + 4);
            end = text.indexOf("\r\n\r\n");
        }
        if (end < 0) {
            return false;
        }
        Map<String, String> headers = headers(text.substring(0, end));
        String length = headers.get("content-length");
        return length != null && text.length() - end - 4 >= Integer.parseInt(length.trim());
    }

    private static Result parse(byte[] data, long sent) {
        String text = new String(data, StandardCharsets.UTF_8);
        while (text.startsWith("HTTP/1.1 100")) {
            text = text.substring(text.indexOf("\r\n\r\n") + 4);
        }
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Result(text, Map.of(), "", sent);
        }
        String head = text.substring(0, end);
        String statusLine = head.split("\r\n", 2)[0];
        return new Result(statusLine, headers(head), text.substring(end + 4), sent);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new TreeMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
