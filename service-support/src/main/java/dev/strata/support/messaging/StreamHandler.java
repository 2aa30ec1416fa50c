package dev.strata.support.messaging;

import dev.strata.support.messaging.ConsumerLog.Rejected;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;

/**
 * What one service does with the event stream; {@link StreamConsumer} does the rest (transactions, positions,
 * retries, quarantine). One bean per consuming service.
 *
 * @param <D> the records as the service reads them
 * @param <R> what applying them did (for the service's metrics)
 */
public interface StreamHandler<D, R> {

    /** What a batch reads as, and the records that cannot be read (quarantined in the same transaction). */
    record Decoding<D>(D value, List<Rejected> rejected) {}

    /**
     * Reads the records: CPU work, called on a worker thread. A record that is not an event, or whose payload its
     * type does not allow, is returned rejected with its reason; it must not throw for one record.
     */
    Decoding<D> decode(List<StreamRecord> records);

    /**
     * Applies what was read in the consumer's transaction, exactly once (the service records the event ids it
     * applied). A failure that is the records' own (see {@link StreamFailures}) makes the consumer narrow it down
     * to one record and quarantine that one.
     */
    Uni<R> apply(SqlConnection tx, D decoded);

    /** After the transaction committed: the service's metrics and lag. */
    default void committed(R result, List<StreamRecord> records, long receivedNanos) {}
}
