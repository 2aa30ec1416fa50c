package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.strata.model.events.InvalidEventException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class StreamFailuresTest {

    private static PgException pg(String state) {
        return new PgException("ERROR: something (" + state + ")", "ERROR", state, "detail");
    }

    @Test
    void shouldRetryWhatSaysNothingAboutTheRecords() {
        for (Throwable failure : new Throwable[] {
            pg("40001"),
            pg("40P01"),
            pg("57P01"),
            pg("08006"),
            pg("53300"),
            pg("55P03"),
            new SQLException("gone", "08001"),
            new ConnectException("refused"),
            ClosedConnectionException.INSTANCE,
            new VertxException("Pool closed"),
            new NotEnoughReplicasException("isr"),
            new java.util.concurrent.TimeoutException(),
            new IllegalStateException(new org.apache.kafka.common.errors.TimeoutException("metadata")),
            new java.util.concurrent.CompletionException(pg("57P03")),
            new IllegalStateException("a chunk did not commit in time", new java.util.concurrent.TimeoutException())
        }) {
            assertThat(StreamFailures.isTransient(failure)).as("%s", failure).isTrue();
        }
    }

    @Test
    void shouldBlameTheRecordsForTheirOwnFaultsAndNameTheKind() {
        assertThat(StreamFailures.of(new RuntimeException(pg("22003"))))
                .isEqualTo(new StreamFailures.Verdict(false, "value-out-of-range"));
        assertThat(StreamFailures.of(pg("23505"))).isEqualTo(new StreamFailures.Verdict(false, "constraint"));
        assertThat(StreamFailures.of(pg("42P01"))).isEqualTo(new StreamFailures.Verdict(false, "database-refused"));
        assertThat(StreamFailures.of(new ArithmeticException("long overflow")))
                .isEqualTo(new StreamFailures.Verdict(false, "value-out-of-range"));
        assertThat(StreamFailures.of(new InvalidEventException("data", "no object"))
                        .kind())
                .isEqualTo("unreadable");
        assertThat(StreamFailures.of(new JsonParseException(null, "bad")).isTransient())
                .isFalse();
        assertThat(StreamFailures.of(new RecordTooLargeException("big")).isTransient())
                .isFalse();
        assertThat(StreamFailures.of(new NullPointerException()).isTransient()).isFalse();
    }

    @Test
    void shouldReadTheDatabasesVerdictBeforeAWrappingClientException() {
        // A data error reported through the SQL client's own exception type is still the data's.
        assertThat(StreamFailures.of(new VertxException(pg("22P02"))).isTransient())
                .isFalse();
    }
}
