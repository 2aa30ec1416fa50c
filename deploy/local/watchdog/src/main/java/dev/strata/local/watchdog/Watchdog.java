package dev.strata.local.watchdog;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs a server's main class and exits when the process that started it goes away.
 *
 * <p>The launcher keeps this process's standard input open as a pipe; when the launcher dies (a killed test
 * run, a closed terminal) the pipe reaches end of file and the server shuts down through its own shutdown
 * hooks, so no broker or S3 server is ever left behind.
 */
public final class Watchdog {

    private Watchdog() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: Watchdog <main-class> [args...]");
        }
        Thread guard = new Thread(Watchdog::exitWhenStdinCloses, "parent-watchdog");
        guard.setDaemon(true);
        guard.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitWhenStdinCloses() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // the launcher never writes; anything read is ignored
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as end of file
        }
        System.exit(0);
    }
}
