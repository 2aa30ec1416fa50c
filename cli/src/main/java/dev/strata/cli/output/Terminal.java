package dev.strata.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal. Java 17 has no such test ({@code System.console()} looks at stdin and stdout, and
 * {@code strata quotas G | less} still has a terminal on stderr), so on Linux the descriptor's link is read.
 */
public final class Terminal {

    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private Terminal() {}

    public static boolean stderrIsTerminal() {
        if (Files.exists(STDERR.getParent())) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(STDERR).toString());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
