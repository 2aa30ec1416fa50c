package dev.strata.cli.output;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Shows a job's progress on stderr. On a terminal one line is redrawn in place ({@code \r}); elsewhere (a CI log, a
 * test capturing stderr) a {@code \r} would leave garbage, so a full line is printed on the first reading, then at
 * most every {@link #LINE_INTERVAL}, and at the end.
 */
public final class ProgressDisplay {

    /** How the progress is shown: chosen by {@code --progress}, {@code auto} looks at stderr. */
    public enum Mode {
        AUTO,
        BAR,
        LINES,
        OFF;

        public Mode resolve() {
            return this == AUTO ? (Terminal.stderrIsTerminal() ? BAR : LINES) : this;
        }
    }

    public static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter err;
    private final Mode mode;
    private final LongSupplier nanoTime;
    private int drawn;
    private long lastLineNanos;
    private boolean printedLine;

    public ProgressDisplay(PrintWriter err, Mode mode, LongSupplier nanoTime) {
        this.err = err;
        this.mode = mode.resolve();
        this.nanoTime = nanoTime;
    }

    /** {@code bar}: the line with a bar, for a terminal; {@code plain}: the same figures for a log. */
    public void update(String bar, String plain) {
        switch (mode) {
            case BAR -> redraw(bar);
            case LINES -> {
                long now = nanoTime.getAsLong();
                if (!printedLine || now - lastLineNanos >= LINE_INTERVAL.toNanos()) {
                    line(plain, now);
                }
            }
            default -> {}
        }
    }

    /**
     * In a log, the next line waits a full interval: a phase that ends sooner (a small upload) shows only its last
     * line.
     */
    public void holdFirstLine() {
        printedLine = true;
        lastLineNanos = nanoTime.getAsLong();
    }

    /** The last state: drawn and kept (the terminal moves to the next line), or printed as the last log line. */
    public void finish(String bar, String plain) {
        switch (mode) {
            case BAR -> {
                redraw(bar);
                err.print('\n');
                err.flush();
                drawn = 0;
            }
            case LINES -> line(plain, nanoTime.getAsLong());
            default -> {}
        }
    }

    /** Leaves the terminal on a clean line, for a message that interrupts the progress (an error). */
    public void abandon() {
        if (mode == Mode.BAR && drawn > 0) {
            err.print('\n');
            err.flush();
            drawn = 0;
        }
    }

    private void redraw(String text) {
        // Blanks over what is left of a longer previous line: no terminal escape codes needed.
        String padding = " ".repeat(Math.max(0, drawn - text.length()));
        err.print("\r" + text + padding);
        err.flush();
        drawn = text.length();
    }

    private void line(String text, long now) {
        err.println(text);
        err.flush();
        printedLine = true;
        lastLineNanos = now;
    }
}
