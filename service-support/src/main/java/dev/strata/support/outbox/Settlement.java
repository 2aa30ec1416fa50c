package dev.strata.support.outbox;

import dev.strata.support.outbox.OutboxStore.Dead;
import dev.strata.support.outbox.OutboxStore.Pending;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What a relay batch leaves once Kafka has answered every one of its sends: the rows to remove as published, the
 * rows to set aside in {@code outbox_dead}, and how many stay for the next attempt. Kafka answers each record on its
 * own, so one record it refuses never costs the others of its batch:
 *
 * <ul>
 * <li>a row Kafka <em>refused for good</em> ({@link #refusedForGood}) is set aside: sending it again can only be
 * refused again, and it never reaches the topic, so setting it aside cannot reorder what does;</li>
 * <li>a row that failed otherwise (broker down, timeout, leader moving, a neighbour's invalid record in the same
 * record batch) stays, and so does every later row of its group, even one Kafka took: the next attempt sends them
 * again in order (at least once, as a Kafka outage always did);</li>
 * <li>every other row Kafka took is removed, so it is never sent twice because of a neighbour.</li>
 * </ul>
 *
 * @param retry the first failure that keeps rows in the outbox; null when none stays
 */
record Settlement(int rows, List<Pending> published, List<Dead> dead, int kept, Throwable retry) {

    /** A shard another relay holds, or one that ran empty. */
    static final Settlement NONE = new Settlement(0, List.of(), List.of(), 0, null);

    /** One row as sent: its size on the wire and Kafka's answer (null: taken). */
    record Delivery(Pending row, int bytes, Throwable failure) {}

    static Settlement of(List<Delivery> deliveries) {
        List<Pending> published = new ArrayList<>(deliveries.size());
        List<Dead> dead = new ArrayList<>();
        Set<UUID> held = new HashSet<>();
        int kept = 0;
        Throwable retry = null;
        for (Delivery delivery : deliveries) {
            Pending row = delivery.row();
            Throwable failure = unwrap(delivery.failure());
            if (failure != null && refusedForGood(failure)) {
                dead.add(new Dead(row, failure.getClass().getSimpleName(), reason(delivery.bytes(), failure)));
            } else if (failure != null || held.contains(row.groupId())) {
                held.add(row.groupId());
                kept++;
                retry = retry == null ? failure : retry;
            } else {
                published.add(row);
            }
        }
        return new Settlement(deliveries.size(), published, dead, kept, retry);
    }

    /** Rows that leave the outbox with this settlement. */
    int removed() {
        return published.size() + dead.size();
    }

    /**
     * Whether Kafka refused the record itself, so that no retry can ever succeed: it is too large for the
     * producer's {@code max.request.size} or the topic's {@code max.message.bytes} (the producer splits a record
     * batch the broker finds too large and retries its records alone, so this names the record, not its
     * neighbours), the broker found the record invalid ({@code InvalidRecordException}, named per record; the
     * other records of its record batch fail with a plain {@code KafkaException} and are retried), or it cannot be
     * serialized. Everything else is taken as passing: {@code RetriableException}s and timeouts by definition, and
     * also {@code UnknownServerException} and authorization, version or producer-state errors, which say nothing
     * about one record and would set aside whole batches, even a whole outbox, during a broker or configuration
     * fault that an operator can mend.
     */
    static boolean refusedForGood(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof InvalidRecordException
                || failure instanceof SerializationException;
    }

    /** Whether a failure keeps its row, and so the later rows of its group, for another attempt. */
    static boolean holdsGroup(Throwable failure) {
        return failure != null && !refusedForGood(unwrap(failure));
    }

    /** Kafka's own words (they name the size and the limit that refused it) and the event's size as sent. */
    static String reason(int bytes, Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage() + " (event of " + bytes + " bytes)";
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
