package dev.strata.metrics.service;

import dev.strata.metrics.store.GraphReadStore.ConnectionCursor;
import dev.strata.support.api.PageCursors;
import java.util.Set;

/**
 * metrics' relationship cursors: the last row of a page (its time, id and direction). A cursor stays valid however
 * many rows are added meanwhile.
 */
public final class Cursors {

    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");

    private Cursors() {}

    public static String encode(ConnectionCursor cursor) {
        return PageCursors.encode(cursor.createdAt(), cursor.id(), cursor.direction());
    }

    public static ConnectionCursor decode(String cursor) {
        String[] fields = PageCursors.decode(cursor, 3);
        if (fields == null) {
            return null;
        }
        if (!DIRECTIONS.contains(fields[2])) {
            throw PageCursors.invalid();
        }
        return new ConnectionCursor(PageCursors.time(fields[0]), PageCursors.uuid(fields[1]), fields[2]);
    }
}
