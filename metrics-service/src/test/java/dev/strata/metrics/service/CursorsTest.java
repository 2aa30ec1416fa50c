package dev.strata.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.metrics.store.GraphReadStore.ConnectionCursor;
import dev.strata.support.api.PageCursors;
import dev.strata.support.problem.ProblemException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {

    private static final ConnectionCursor LAST = new ConnectionCursor(
            Instant.parse("2026-06-17T12:00:00Z"), UUID.fromString("0190a000-0000-7000-8000-000000000001"), "inbound");

    @Test
    void shouldGiveBackTheRowItWasMadeFrom() {
        assertThat(Cursors.decode(Cursors.encode(LAST))).isEqualTo(LAST);
    }

    @Test
    void shouldReadNoCursorAsTheFirstPage() {
        assertThat(Cursors.decode(null)).isNull();
    }

    @Test
    void shouldRefuseADirectionItNeverGivesOut() {
        String sideways =
                PageCursors.encode("2026-06-17T12:00:00Z", "0190a000-0000-7000-8000-000000000001", "sideways");

        assertThatThrownBy(() -> Cursors.decode(sideways))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    @Test
    void shouldRefuseACursorWithATimeThatIsNotOne() {
        String broken = PageCursors.encode("noon", "0190a000-0000-7000-8000-000000000001", "inbound");

        assertThatThrownBy(() -> Cursors.decode(broken)).isInstanceOf(ProblemException.class);
    }
}
