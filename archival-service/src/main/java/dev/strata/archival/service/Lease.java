package dev.strata.archival.service;

import java.util.UUID;

/** The right of this replica ({@code owner}) to run {@code runId}; every write of the run is fenced by it. */
public record Lease(UUID runId, String owner) {}
