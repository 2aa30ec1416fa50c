package dev.strata.benchmark;

/** Placeholder: being written. */
final class ArchivalSuite implements Benchmark.Suite {

    @Override
    public void run(Stack stack, Report report) {
        throw new UnsupportedOperationException("the archival suite is not written yet");
    }
}
