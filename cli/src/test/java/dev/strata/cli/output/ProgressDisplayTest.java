package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter written = new StringWriter();
    private final AtomicLong clock = new AtomicLong();

    private ProgressDisplay display(ProgressDisplay.Mode mode) {
        return new ProgressDisplay(new PrintWriter(written), mode, clock::get);
    }

    @Test
    void shouldPrintTheFirstLineThenOneEveryFewSecondsAndTheLastInALog() {
        ProgressDisplay display = display(ProgressDisplay.Mode.LINES);

        display.update("bar 1", "line 1");
        clock.addAndGet(2 * SECOND);
        display.update("bar 2", "line 2");
        clock.addAndGet(3 * SECOND);
        display.update("bar 3", "line 3");
        clock.addAndGet(SECOND);
        display.update("bar 4", "line 4");
        display.finish("bar 5", "line 5");

        assertThat(written.toString()).isEqualTo("line 1\nline 3\nline 5\n").doesNotContain("\r");
    }

    @Test
    void shouldHoldTheFirstLineOfAShortPhase() {
        ProgressDisplay display = display(ProgressDisplay.Mode.LINES);

        display.holdFirstLine();
        display.update("bar", "sending");
        clock.addAndGet(SECOND);
        display.finish("bar", "sent");

        assertThat(written.toString()).isEqualTo("sent\n");
    }

    @Test
    void shouldRedrawOneLineInPlaceOnATerminal() {
        ProgressDisplay display = display(ProgressDisplay.Mode.BAR);

        display.update("long line 1", "plain");
        display.update("short", "plain");
        display.finish("done", "plain");

        assertThat(written.toString()).isEqualTo("\rlong line 1\rshort      \rdone \n");
    }

    @Test
    void shouldMoveToAFreshLineWhenAnErrorInterruptsTheBar() {
        ProgressDisplay display = display(ProgressDisplay.Mode.BAR);

        display.update("half", "plain");
        display.abandon();
        display.abandon();

        assertThat(written.toString()).isEqualTo("\rhalf\n");
    }

    @Test
    void shouldPrintNothingWhenOff() {
        ProgressDisplay display = display(ProgressDisplay.Mode.OFF);

        display.update("bar", "line");
        display.finish("bar", "line");

        assertThat(written.toString()).isEmpty();
    }

    @Test
    void shouldKnowTerminalDevicesFromFilesAndPipes() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/tmp/build.log")).isFalse();
    }
}
