package dev.strata.archival.store;

import java.util.UUID;

/** The run's lease was given to someone else (its heartbeat stopped for too long): it must stop writing. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(UUID runId) {
        super("run " + runId + " no longer holds its lease", null, false, false);
    }
}
