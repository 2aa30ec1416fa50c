package dev.strata.support.problem;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;

/**
 * Recognizes database errors by their SQLSTATE. Those the request's input caused: class 22, "data exception" (a NUL
 * or other untranslatable character, a number or time out of range, a malformed value). Each one is a validation
 * that should have refused the input earlier, so it is answered as the caller's mistake (400) and logged as a bug
 * to fix; every other database error stays a 500. And a unique constraint that a concurrent write won, which
 * callers turn into the winner's answer.
 */
public final class DatabaseProblems {

    private DatabaseProblems() {}

    /** The SQLSTATE of a data exception somewhere in the cause chain, or null. */
    public static String dataExceptionState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = null;
            if (t instanceof PgException pg) {
                state = pg.getSqlState();
            } else if (t instanceof SQLException sql) {
                state = sql.getSQLState();
            }
            if (state != null) {
                return state.startsWith("22") ? state : null;
            }
        }
        return null;
    }

    /** Whether a unique violation (23505) of this constraint is somewhere in the cause chain. */
    public static boolean violates(Throwable e, String uniqueConstraint) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return "23505".equals(pg.getSqlState()) && uniqueConstraint.equals(pg.getConstraint());
            }
        }
        return false;
    }
}
