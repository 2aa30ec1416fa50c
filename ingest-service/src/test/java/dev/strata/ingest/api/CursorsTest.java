package dev.strata.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.problem.ProblemException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {

    private static final UUID ID = UUID.fromString("0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6");
    // base64url without padding of "0190c1f2-7a3b-7c4d-9e5f-a1b2c3d4e5f6"
    private static final String ID_CURSOR = "MDE5MGMxZjItN2EzYi03YzRkLTllNWYtYTFiMmMzZDRlNWY2";
    // base64url without padding of "2026-12-01T09:30:00Z|5f0c2a9e-1b7d-4c3e-8a6f-2d9b4e7c1a30"
    private static final String TIME_ID_CURSOR =
            "MjAyNi0xMi0wMVQwOTozMDowMFp8NWYwYzJhOWUtMWI3ZC00YzNlLThhNmYtMmQ5YjRlN2MxYTMw";

    @Test
    void shouldEncodeAnIdAsBase64UrlOfItsTextAndDecodeItBack() {
        assertThat(Cursors.encodeId(ID)).isEqualTo(ID_CURSOR);
        assertThat(Cursors.decodeId(ID_CURSOR)).isEqualTo(ID);
    }

    @Test
    void shouldEncodeATimeAndIdJoinedByABarAndDecodeThemBack() {
        Instant time = Instant.parse("2026-12-01T09:30:00Z");
        UUID id = UUID.fromString("5f0c2a9e-1b7d-4c3e-8a6f-2d9b4e7c1a30");
        assertThat(Cursors.encodeTimeId(time, id)).isEqualTo(TIME_ID_CURSOR);
        assertThat(Cursors.decodeTimeId(TIME_ID_CURSOR)).isEqualTo(new Cursors.TimeId(time, id));
    }

    @Test
    void shouldReadNoCursorAsTheFirstPage() {
        assertThat(Cursors.decodeId(null)).isNull();
        assertThat(Cursors.decodeId("")).isNull();
        assertThat(Cursors.decodeTimeId(null)).isNull();
    }

    @Test
    void shouldRefuseACursorOfTheOtherKindOrNotBase64AsMalformed() {
        // an id cursor has one field, a time-and-id cursor two
        assertThatThrownBy(() -> Cursors.decodeTimeId(ID_CURSOR))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> Cursors.decodeId(TIME_ID_CURSOR))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> Cursors.decodeId("not base64!"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
        // base64url of "not-a-uuid": one field, but no UUID
        assertThatThrownBy(() -> Cursors.decodeId("bm90LWEtdXVpZA"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(400));
    }
}
