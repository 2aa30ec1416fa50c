package dev.strata.benchmark;

/** Placeholder: being written. */
final class MetricsSuite implements Benchmark.Suite {

    @Override
    public void run(Stack stack, Report report) {
        throw new UnsupportedOperationException("the metrics suite is not written yet");
    }
}
