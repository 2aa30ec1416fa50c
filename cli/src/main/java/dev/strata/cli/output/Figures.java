package dev.strata.cli.output;

import java.time.Duration;
import java.util.Locale;

/** How numbers, sizes, rates and durations read in the CLI's output, the same in every command. */
public final class Figures {

    private Figures() {}

    /** {@code 45.2%}: one decimal, never more than 100 nor less than 0. */
    public static String percent(double percent) {
        double bounded = Math.max(0, Math.min(100, percent));
        return String.format(Locale.ROOT, "%.1f%%", bounded);
    }

    /** Whole above 100 ({@code 1234}), one decimal below ({@code 12.5}), where one more digit is noise. */
    public static String rate(double perSecond) {
        if (!Double.isFinite(perSecond) || perSecond < 0) {
            return "0";
        }
        return perSecond >= 100
                ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** Bytes in MiB with one decimal ({@code 12.3 MiB}); below 1 MiB in KiB. */
    public static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * {@code 850ms}, {@code 4.2s}, {@code 3m05s}, {@code 2h07m}: precise where short, coarse where long, as an ETA
     * or a run time reads best.
     */
    public static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        long minutes = seconds / 60;
        return String.format(Locale.ROOT, "%dh%02dm", minutes / 60, minutes % 60);
    }
}
