package dev.strata.model.ids;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (RFC 9562 version 7), monotonic within this JVM. Rows keyed by them append to the end of
 * their index, which keeps 10,000-row inserts cheap, and an id doubles as a stable cursor for paging.
 */
public final class UuidV7 {

    private static long lastMillis;
    private static int sequence;

    private UuidV7() {}

    public static synchronized UUID next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = ThreadLocalRandom.current().nextInt(1 << 10);
        } else if (++sequence > 0xFFF) {
            lastMillis++; // more than 4096 ids in one millisecond: borrow the next one to stay monotonic
            sequence = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | sequence;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
