package dev.strata.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on the test JVM's database, for tests that check what was (or was not) written. */
public final class TestDatabase {

    private TestDatabase() {}

    /** The single number a query returns, e.g. a count. */
    public static long scalar(String sql, Object... parameters) {
        List<Object> row = single(sql, parameters);
        Object value = row.get(0);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** The first row of a query as a list of column values. */
    public static List<Object> single(String sql, Object... parameters) {
        List<List<Object>> rows = rows(sql, parameters);
        if (rows.isEmpty()) {
            throw new AssertionError("no row for " + sql);
        }
        return rows.get(0);
    }

    public static List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int c = 1; c <= columns; c++) {
                        row.add(rs.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Connection connect() throws SQLException {
        TestEndpoints db = TestServers.ensureStarted();
        return DriverManager.getConnection(db.jdbcUrl(), db.dbUser(), db.dbPassword());
    }
}
