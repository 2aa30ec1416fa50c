package dev.strata.benchmark;

/** Placeholder: being written. */
final class QuotaSuite implements Benchmark.Suite {

    @Override
    public void run(Stack stack, Report report) {
        throw new UnsupportedOperationException("the quota suite is not written yet");
    }
}
