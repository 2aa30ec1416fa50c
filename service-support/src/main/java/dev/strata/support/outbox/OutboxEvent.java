package dev.strata.support.outbox;

import java.util.UUID;

/** An event ready for the outbox: its id and its CloudEvents JSON, serialized once. */
public record OutboxEvent(UUID id, String json) {}
