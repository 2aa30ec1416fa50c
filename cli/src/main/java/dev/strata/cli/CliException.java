package dev.strata.cli;

import java.util.List;

/**
 * A failure the CLI reports to its user as lines on stderr and an exit code, never as a stack trace.
 */
public class CliException extends RuntimeException {

    private final int exitCode;
    private final List<String> lines;

    public CliException(int exitCode, List<String> lines) {
        super(lines.isEmpty() ? "" : lines.get(0));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    public CliException(int exitCode, String message) {
        this(exitCode, List.of(message));
    }

    public int exitCode() {
        return exitCode;
    }

    /** What to print, first line first. */
    public List<String> lines() {
        return lines;
    }
}
