package dev.strata.quota.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReservationStatusTest {

    private static final Instant CREATED = Instant.parse("2026-12-03T10:15:30Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Instant EXPIRY = Instant.parse("2026-12-03T10:20:30Z");

    private static Reservation open(String reference) {
        return Reservation.open(UUID.randomUUID(), "entities_total", 250, reference, CREATED, TTL);
    }

    @Test
    void shouldOpenAReservationThatIsDueTtlAfterItsCreation() {
        Reservation reservation = open("batch-1");

        assertThat(reservation.status).isEqualTo("open");
        assertThat(reservation.createdAt).isEqualTo(CREATED);
        assertThat(reservation.expiresAt).isEqualTo(EXPIRY);
        assertThat(reservation.committedAt).isNull();
        assertThat(reservation.closedAt).isNull();
    }

    @Test
    void shouldShowAnUnreferencedReservationOpenUntilAMicrosecondBeforeItsExpiry() {
        assertThat(open(null).statusAt(EXPIRY.minusNanos(1_000))).isEqualTo("open");
    }

    @Test
    void shouldShowAnUnreferencedReservationExpiredFromItsExpiryOn() {
        assertThat(open(null).statusAt(EXPIRY)).isEqualTo("expired");
        assertThat(open(null).statusAt(EXPIRY.plus(Duration.ofDays(1)))).isEqualTo("expired");
    }

    @Test
    void shouldShowAReferencedReservationOpenPastItsExpiryUntilItIsResolved() {
        assertThat(open("batch-1").statusAt(EXPIRY.plus(Duration.ofDays(1)))).isEqualTo("open");
    }

    @Test
    void shouldShowAClosedOrCommittedReservationAsStoredWhateverTheTime() {
        Reservation committed = open(null);
        committed.status = "committed";
        Reservation released = open(null);
        released.status = "released";

        assertThat(committed.statusAt(EXPIRY.plusSeconds(60))).isEqualTo("committed");
        assertThat(released.statusAt(EXPIRY.plusSeconds(60))).isEqualTo("released");
    }
}
