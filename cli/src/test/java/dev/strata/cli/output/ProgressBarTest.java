package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.output.ProgressMeter.Reading;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void shouldFillTheBarInProportion() {
        assertThat(ProgressBar.bar(0, 10)).isEqualTo("[          ]");
        assertThat(ProgressBar.bar(5, 10)).isEqualTo("[>         ]");
        assertThat(ProgressBar.bar(50, 10)).isEqualTo("[=====>    ]");
        assertThat(ProgressBar.bar(99.9, 10)).isEqualTo("[=========>]");
        assertThat(ProgressBar.bar(100, 10)).isEqualTo("[==========]");
        assertThat(ProgressBar.bar(250, 10)).isEqualTo("[==========]");
    }

    @Test
    void shouldShowPercentItemsRateAndEta() {
        Reading reading = new Reading(45.2, 1234, 560.4, Duration.ofSeconds(12), Duration.ofSeconds(9));

        assertThat(ProgressBar.withBar("import running", reading, ProgressBar.Unit.ITEMS))
                .isEqualTo("import running [==========>             ]  45.2%  1234 items  560 items/s  ETA 12s");
        assertThat(ProgressBar.plain("import running", reading, ProgressBar.Unit.ITEMS))
                .isEqualTo("import running 45.2%  1234 items  560 items/s  ETA 12s");
    }

    @Test
    void shouldShowHowLongItTookOnceEndedAndDashesWhileUnknown() {
        Reading done = new Reading(100, 3000, 1500, Duration.ZERO, Duration.ofSeconds(2));
        Reading unknown = new Reading(0, 0, 0, null, Duration.ZERO);

        assertThat(ProgressBar.plain("import succeeded", done, ProgressBar.Unit.ITEMS))
                .isEqualTo("import succeeded 100.0%  3000 items  1500 items/s  in 2.0s");
        assertThat(ProgressBar.plain("upload", unknown, ProgressBar.Unit.BYTES))
                .isEqualTo("upload 0.0%  0.0 KiB  0.0 KiB/s  ETA --");
    }
}
