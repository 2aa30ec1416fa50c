package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void shouldAlignTextLeftAndNumbersRightTwoSpacesApart() {
        String table = new Table("metric", "current", "limit", "status")
                .row("entities_total", 3000, 10000, "ok")
                .row("users", 7, null, "unlimited")
                .render();

        assertThat(table).isEqualTo("""
                METRIC          CURRENT  LIMIT  STATUS
                entities_total     3000  10000  ok
                users                 7      -  unlimited
                """);
    }

    @Test
    void shouldTreatPercentagesAndDecimalsAsNumbers() {
        String table = new Table("percent", "value")
                .row("95.0 %", "0.25")
                .row("100.0 %", "12")
                .render();

        assertThat(table).isEqualTo("""
                PERCENT  VALUE
                 95.0 %   0.25
                100.0 %     12
                """);
    }

    @Test
    void shouldKeepAColumnLeftAlignedWhenOneCellIsNotANumber() {
        String table = new Table("figure", "value")
                .row("isActive", "true")
                .row("userCount", "3")
                .render();

        assertThat(table).isEqualTo("""
                FIGURE     VALUE
                isActive   true
                userCount  3
                """);
    }

    @Test
    void shouldLeaveNoTrailingBlanksAndFlattenNewlines() {
        String table = new Table("name", "type").row("two\nlines", "").render();

        assertThat(table).isEqualTo("NAME       TYPE\ntwo lines\n");
    }

    @Test
    void shouldRefuseMoreCellsThanColumns() {
        assertThatThrownBy(() -> new Table("one").row("a", "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
