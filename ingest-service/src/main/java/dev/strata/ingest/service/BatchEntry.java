package dev.strata.ingest.service;

import dev.strata.ingest.store.EventStore.EventRow;
import dev.strata.model.events.EventType;
import dev.strata.model.events.payload.BatchImported;
import dev.strata.model.problem.FieldError;
import dev.strata.support.outbox.EventFactory;
import dev.strata.support.outbox.OutboxEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The single {@code batch_import} entry of a creating batch (seed: "single batch event"): the event for the
 * outbox, the same fact as a row of the events table, and the batch's answer whose {@code position} is that event.
 *
 * @param created ids in input order, null where the item failed
 */
record BatchEntry(OutboxEvent event, EventRow logEntry, BatchResult result) {

    static BatchEntry of(
            EventFactory events,
            UUID groupId,
            Instant now,
            UUID batchId,
            String kind,
            UUID[] created,
            List<FieldError> errors,
            UUID importJobId) {
        int total = created.length;
        int success = (int) Arrays.stream(created).filter(Objects::nonNull).count();
        BatchImported summary = new BatchImported(batchId, kind, total, success, total - success, importJobId);
        OutboxEvent event = events.event(EventType.BATCH_IMPORT, groupId, now, batchId, summary);
        EventRow logEntry =
                new EventRow(event.id(), EventType.BATCH_IMPORT, null, null, now, events.json(summary), now);
        BatchResult result = new BatchResult(
                Arrays.asList(created),
                total - success,
                errors,
                BatchResult.Summary.of(total, success),
                batchId,
                event.id().toString());
        return new BatchEntry(event, logEntry, result);
    }
}
