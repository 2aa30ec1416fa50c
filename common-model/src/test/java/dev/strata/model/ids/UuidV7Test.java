package dev.strata.model.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void shouldCarryVersionSevenAndTheRfcVariant() {
        UUID id = UuidV7.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.toString().charAt(14)).isEqualTo('7');
        assertThat(id.toString().charAt(19)).isIn('8', '9', 'a', 'b');
    }

    @Test
    void shouldStartWithTheMillisecondItWasMadeIn() {
        long before = System.currentTimeMillis();
        UUID id = UuidV7.next();
        long after = System.currentTimeMillis();

        long millis = id.getMostSignificantBits() >>> 16;
        // a burst of more than 4096 ids in one millisecond borrows the next ones, never an earlier one
        assertThat(millis).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(after + 10);
    }

    @Test
    void shouldOrderIdsAsTheyWereMadeAlsoAsText() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // several thousand per millisecond: exercises the sequence's overflow
            ids.add(UuidV7.next());
        }

        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }
}
