package dev.strata.ingest.api;

import dev.strata.support.api.PageCursors;
import java.time.Instant;
import java.util.UUID;

/** ingest's page cursors: the last id of a page or, for lists in time order, its time and id. */
final class Cursors {

    private Cursors() {}

    static String encodeId(UUID id) {
        return PageCursors.encode(id);
    }

    static UUID decodeId(String cursor) {
        String[] fields = PageCursors.decode(cursor, 1);
        return fields == null ? null : PageCursors.uuid(fields[0]);
    }

    /** A position in a list ordered by time, then id. */
    record TimeId(Instant time, UUID id) {}

    static String encodeTimeId(Instant time, UUID id) {
        return PageCursors.encode(time, id);
    }

    static TimeId decodeTimeId(String cursor) {
        String[] fields = PageCursors.decode(cursor, 2);
        return fields == null ? null : new TimeId(PageCursors.time(fields[0]), PageCursors.uuid(fields[1]));
    }
}
