package dev.strata.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseProblemsTest {

    @Test
    void shouldRecognizeDataExceptionsAnywhereInTheCauseChain() {
        PgException nul = new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null);
        assertThat(DatabaseProblems.dataExceptionState(nul)).isEqualTo("22021");
        assertThat(DatabaseProblems.dataExceptionState(new CompletionException(nul)))
                .isEqualTo("22021");
        assertThat(DatabaseProblems.dataExceptionState(new PgException("x", "ERROR", "22P05", null)))
                .isEqualTo("22P05");
        assertThat(DatabaseProblems.dataExceptionState(new SQLException("x", "22008")))
                .isEqualTo("22008");
    }

    @Test
    void shouldLeaveEveryOtherDatabaseErrorAlone() {
        assertThat(DatabaseProblems.dataExceptionState(new PgException("dup", "ERROR", "23505", null)))
                .isNull();
        assertThat(DatabaseProblems.dataExceptionState(new PgException("gone", "FATAL", "57P01", null)))
                .isNull();
        assertThat(DatabaseProblems.dataExceptionState(new IllegalStateException("no database")))
                .isNull();
        // the first database error decides, not a data exception further down
        assertThat(DatabaseProblems.dataExceptionState(
                        new SQLException("x", "40001", new PgException("y", "ERROR", "22003", null))))
                .isNull();
    }
}
