package dev.strata.support.messaging;

import com.fasterxml.jackson.core.JacksonException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a transient failure (a server away, a lock or serialization conflict: trying again will do) from one that
 * belongs to the records (a value no column holds, a broken constraint, a payload no reader accepts: it will fail
 * the same way every time). The first are retried for as long as they last; the second are narrowed down to the
 * record and quarantine it.
 */
public final class StreamFailures {

    /** SQLSTATEs that say nothing about the data: the server, the connection or a concurrent transaction. */
    private static final Set<String> TRANSIENT_STATES =
            Set.of("40001", "40P01", "55P03", "55006", "57014", "57P01", "57P02", "57P03", "57P05");

    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");

    private StreamFailures() {}

    /** What a failure says: whether to try again, and if not, what kind of fault the record has. */
    public record Verdict(boolean isTransient, String kind) {}

    /** Whether trying the same work again may succeed once the server, connection or conflict has gone. */
    public static boolean isTransient(Throwable failure) {
        return of(failure).isTransient();
    }

    public static Verdict of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof PgException pg
                    ? pg.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.length() == 5) {
                boolean again = TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2));
                return new Verdict(
                        again,
                        again
                                ? "database-unavailable"
                                : switch (state.substring(0, 2)) {
                                    case "22" -> "value-out-of-range";
                                    case "23" -> "constraint";
                                    default -> "database-refused";
                                });
            }
            if (t instanceof ArithmeticException) {
                return new Verdict(false, "value-out-of-range");
            }
            if (t instanceof JacksonException || t instanceof IllegalArgumentException) {
                return new Verdict(false, "unreadable");
            }
            if (t instanceof RetriableException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof IOException
                    || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof RejectedExecutionException
                    || t instanceof CancellationException
                    || t instanceof InterruptedException
                    || t instanceof NoStackTraceThrowable) {
                return new Verdict(true, "unavailable");
            }
        }
        // Outside the database's own errors, the SQL client fails with VertxException for what is not the data's
        // fault (connection closed or lost, pool closed or exhausted).
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VertxException) {
                return new Verdict(true, "unavailable");
            }
        }
        return new Verdict(false, failure.getClass().getSimpleName());
    }
}
