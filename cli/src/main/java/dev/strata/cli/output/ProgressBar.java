package dev.strata.cli.output;

import dev.strata.cli.output.ProgressMeter.Reading;

/** The text of one progress line, with a bar (for a terminal) or without (for a log). */
public final class ProgressBar {

    public static final int WIDTH = 24;

    /** What is counted: the items of a job or the bytes of an upload. */
    public enum Unit {
        ITEMS {
            @Override
            String count(long count) {
                return count + " items";
            }

            @Override
            String rate(double perSecond) {
                return Figures.rate(perSecond) + " items/s";
            }
        },
        BYTES {
            @Override
            String count(long count) {
                return Figures.bytes(count);
            }

            @Override
            String rate(double perSecond) {
                return Figures.bytes(Math.round(perSecond)) + "/s";
            }
        };

        abstract String count(long count);

        abstract String rate(double perSecond);
    }

    private ProgressBar() {}

    /** {@code [=========>              ]}: {@code width} cells between the brackets. */
    public static String bar(double percent, int width) {
        double bounded = Math.max(0, Math.min(100, percent));
        int filled = (int) Math.floor(bounded * width / 100.0);
        StringBuilder bar = new StringBuilder("[");
        bar.append("=".repeat(filled));
        if (filled < width) {
            bar.append(filled > 0 || bounded > 0 ? ">" : " ");
            bar.append(" ".repeat(width - filled - 1));
        }
        return bar.append(']').toString();
    }

    /** {@code label [====>     ]  45.2%  1234 items  560 items/s  ETA 12s}. */
    public static String withBar(String label, Reading reading, Unit unit) {
        return label + " " + bar(reading.percent(), WIDTH) + "  " + figures(reading, unit);
    }

    /** {@code label 45.2%  1234 items  560 items/s  ETA 12s}, for a log that keeps every line. */
    public static String plain(String label, Reading reading, Unit unit) {
        return label + " " + figures(reading, unit);
    }

    private static String figures(Reading reading, Unit unit) {
        // An ETA of zero is a job that has ended: how long it took says more.
        String eta = reading.eta() == null
                ? "ETA --"
                : reading.eta().isZero()
                        ? "in " + Figures.duration(reading.elapsed())
                        : "ETA " + Figures.duration(reading.eta());
        return Figures.percent(reading.percent()) + "  " + unit.count(reading.count()) + "  "
                + unit.rate(reading.perSecond()) + "  " + eta;
    }
}
