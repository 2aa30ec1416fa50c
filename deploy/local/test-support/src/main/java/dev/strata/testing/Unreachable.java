package dev.strata.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Addresses where nothing answers, for tests of a server that is away (connections are refused at once). */
public final class Unreachable {

    private Unreachable() {}

    /** {@code http://127.0.0.1:<port>} on a local port that was free a moment ago and is closed now. */
    public static String httpEndpoint() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
