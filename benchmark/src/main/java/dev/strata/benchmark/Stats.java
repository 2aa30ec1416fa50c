package dev.strata.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Timings of repeated runs of one scenario, in milliseconds; percentiles by the nearest-rank method. */
final class Stats {

    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        addMillis(nanos / 1_000_000.0);
    }

    synchronized void addMillis(double value) {
        millis.add(value);
    }

    double median() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    double p99() {
        return percentile(99);
    }

    synchronized int runs() {
        return millis.size();
    }

    synchronized double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(rank, sorted.size() - 1)));
    }
}
