package dev.strata.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** How a batch body is hashed and gated as it is read; no server needed. */
class BatchBodyTest {

    private static InputStream bytes(int n) {
        return new ByteArrayInputStream(new byte[n]);
    }

    @Test
    void shouldHashWhatItRead() throws Exception {
        byte[] text = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        BatchBody body = new BatchBody(new ByteArrayInputStream(text), true, null);
        body.transferTo(OutputStream.nullOutputStream());
        assertThat(body.sha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(text)));
    }

    @Test
    void shouldLetOneLargeBodyThroughTheGateAtATimeAndRefuseOneThatWaitsTooLong() throws IOException {
        LargeBatchGate gate = new LargeBatchGate(100, 1, Duration.ofMillis(200));
        BatchBody small = new BatchBody(bytes(100), false, gate);
        small.transferTo(OutputStream.nullOutputStream()); // at the threshold: not large
        BatchBody first = new BatchBody(bytes(500), false, gate);
        first.transferTo(OutputStream.nullOutputStream());

        BatchBody second = new BatchBody(bytes(500), false, gate);
        assertThatThrownBy(() -> second.transferTo(OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(503));

        first.close();
        BatchBody third = new BatchBody(bytes(500), false, gate);
        assertThat(third.transferTo(OutputStream.nullOutputStream())).isEqualTo(500);
        third.close();
        third.close(); // closing twice gives the permit back once
        BatchBody fourth = new BatchBody(bytes(500), false, gate);
        fourth.transferTo(OutputStream.nullOutputStream());
        BatchBody fifth = new BatchBody(bytes(500), false, gate);
        assertThatThrownBy(() -> fifth.transferTo(OutputStream.nullOutputStream()))
                .isInstanceOf(ProblemException.class);
    }
}
