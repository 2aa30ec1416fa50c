package dev.strata.ingest.service;

/**
 * Options of a batch call. {@code atomic}: one invalid item rejects the whole batch (422) and nothing is
 * written. {@code defaultStatus}: the status of things that give none.
 */
public record BatchOptions(boolean atomic, String defaultStatus) {

    public static final String DEFAULT_STATUS = "draft";

    public static BatchOptions defaults() {
        return new BatchOptions(false, DEFAULT_STATUS);
    }
}
