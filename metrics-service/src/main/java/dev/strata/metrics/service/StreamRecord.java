package dev.strata.metrics.service;

import java.time.Instant;

/** One record of the event topic, wherever it was read from (the live channel or a rebuild's replay). */
public record StreamRecord(String topic, int partition, long offset, Instant publishedAt, byte[] value) {
}
