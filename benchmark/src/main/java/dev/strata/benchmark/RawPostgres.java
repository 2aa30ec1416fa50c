package dev.strata.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The physical limit: the same rows Strata writes (things or connections, plus one event row each), sent with
 * COPY into scratch tables shaped like ingest's, in one transaction. Lives in schema {@code strata_bench}.
 */
final class RawPostgres implements AutoCloseable {

    private final Connection connection;
    private final CopyManager copy;

    RawPostgres(String url, String user, String password) throws SQLException {
        connection = DriverManager.getConnection(url, user, password);
        copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS strata_bench");
            sql.execute("DROP TABLE IF EXISTS strata_bench.things, strata_bench.connections, strata_bench.outbox");
            sql.execute("CREATE TABLE strata_bench.things (id uuid PRIMARY KEY, group_id uuid NOT NULL, type text"
                    + " NOT NULL, name text NOT NULL, properties jsonb NOT NULL, properties_bytes int NOT NULL,"
                    + " status text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
            sql.execute("CREATE INDEX ON strata_bench.things (group_id, id)");
            sql.execute("CREATE INDEX ON strata_bench.things (group_id, type, id)");
            sql.execute("CREATE TABLE strata_bench.connections (id uuid PRIMARY KEY, group_id uuid NOT NULL,"
                    + " from_thing_id uuid NOT NULL, to_thing_id uuid NOT NULL, relationship_type text NOT NULL,"
                    + " metadata jsonb NOT NULL, created_at timestamptz NOT NULL,"
                    + " UNIQUE (group_id, from_thing_id, to_thing_id, relationship_type))");
            sql.execute("CREATE TABLE strata_bench.outbox (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " shard smallint NOT NULL, group_id uuid NOT NULL, event_id uuid NOT NULL, payload text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz)");
        }
        connection.setAutoCommit(false);
    }

    /** COPY {@code n} things and {@code n} events in one transaction; returns nanoseconds. */
    long copyThings(int n) throws SQLException, IOException {
        UUID group = UUID.randomUUID();
        long start = System.nanoTime();
        copy.copyIn("COPY strata_bench.things FROM STDIN", rows(n, i -> thingLine(group, i)));
        copy.copyIn(
                "COPY strata_bench.outbox (shard, group_id, event_id, payload) FROM STDIN",
                rows(n, i -> eventLine(group, i)));
        connection.commit();
        return System.nanoTime() - start;
    }

    /** COPY {@code n} connections and {@code n} events in one transaction. */
    long copyConnections(int n) throws SQLException, IOException {
        UUID group = UUID.randomUUID();
        long start = System.nanoTime();
        copy.copyIn(
                "COPY strata_bench.connections FROM STDIN",
                rows(
                        n,
                        i -> UUID.randomUUID() + "\t" + group + "\t" + UUID.randomUUID() + "\t" + UUID.randomUUID()
                                + "\tfollowing\t{}\t2026-01-01 00:00:00+00\n"));
        copy.copyIn(
                "COPY strata_bench.outbox (shard, group_id, event_id, payload) FROM STDIN",
                rows(n, i -> eventLine(group, i)));
        connection.commit();
        return System.nanoTime() - start;
    }

    /** COPY {@code n} changed rows into a staging table, UPDATE from it, COPY {@code n} events. */
    long copyUpdates(int n) throws SQLException, IOException {
        UUID group = UUID.randomUUID();
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.randomUUID();
        }
        copy.copyIn("COPY strata_bench.things FROM STDIN", rows(n, i -> thingLine(ids[i], group, i)));
        connection.commit();
        long start = System.nanoTime();
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TEMP TABLE changes (id uuid, name text, status text) ON COMMIT DROP");
            copy.copyIn("COPY changes FROM STDIN", rows(n, i -> ids[i] + "\tbench thing " + i + " v2\tactive\n"));
            sql.execute("UPDATE strata_bench.things t SET name = c.name, status = c.status, updated_at = now()"
                    + " FROM changes c WHERE t.id = c.id");
        }
        copy.copyIn(
                "COPY strata_bench.outbox (shard, group_id, event_id, payload) FROM STDIN",
                rows(n, i -> eventLine(group, i)));
        connection.commit();
        return System.nanoTime() - start;
    }

    void truncate() throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("TRUNCATE strata_bench.things, strata_bench.connections, strata_bench.outbox");
        }
        connection.commit();
    }

    private static String thingLine(UUID group, int i) {
        return thingLine(UUID.randomUUID(), group, i);
    }

    private static String thingLine(UUID id, UUID group, int i) {
        return id + "\t" + group + "\tuser\tbench thing " + i + "\t{\"n\": " + i
                + ", \"plan\": \"gold\"}\t24\tdraft\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\n";
    }

    private static String eventLine(UUID group, int i) {
        UUID id = UUID.randomUUID();
        return "3\t" + group + "\t" + id + "\t{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":"
                + "\"/strata/ingest-service\",\"type\":\"thing_created\",\"time\":\"2026-01-01T00:00:00Z\","
                + "\"subject\":\"" + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"groupid\":\""
                + group + "\",\"schemaversion\":1,\"data\":{\"id\":\"" + id + "\",\"type\":\"user\",\"name\":"
                + "\"bench thing " + i + "\",\"status\":\"draft\",\"properties\":{\"n\":" + i + "}}}\n";
    }

    /** Generates COPY text lazily, so a million rows never sit in memory. */
    static Reader rows(int n, java.util.function.IntFunction<String> line) {
        return new Reader() {
            private int next;
            private String current = "";
            private int offset;

            @Override
            public int read(char[] buffer, int off, int len) {
                int written = 0;
                while (written < len) {
                    if (offset == current.length()) {
                        if (next == n) {
                            return written == 0 ? -1 : written;
                        }
                        current = line.apply(next++);
                        offset = 0;
                    }
                    int chunk = Math.min(len - written, current.length() - offset);
                    current.getChars(offset, offset + chunk, buffer, off + written);
                    offset += chunk;
                    written += chunk;
                }
                return written;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void close() throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA strata_bench CASCADE");
        }
        connection.commit();
        connection.close();
    }
}
