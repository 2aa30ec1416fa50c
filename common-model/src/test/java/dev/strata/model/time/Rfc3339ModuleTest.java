package dev.strata.model.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@link Rfc3339} leaves to the general parser and writer, through the module that puts it in front. */
class Rfc3339ModuleTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Rfc3339Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @Test
    void shouldReadNumericOffsetsAsTheSameInstantInUtc() throws Exception {
        assertThat(Rfc3339.parse("2026-11-28T10:15:30+01:00")).isNull();
        assertThat(JSON.readValue("\"2026-11-28T10:15:30+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-28T09:15:30Z"));
        assertThat(JSON.readValue("\"2026-11-28T23:30:00.5-05:30\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-29T05:00:00.5Z"));
        assertThat(JSON.readValue("\"2026-11-28T10:15:30+00:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-28T10:15:30Z"));
    }

    @Test
    void shouldReadTheFirstAndLastFourDigitYears() throws Exception {
        assertThat(Rfc3339.parse("0000-01-01T00:00:00Z")).isEqualTo(Instant.ofEpochSecond(-62_167_219_200L));
        assertThat(Rfc3339.parse("9999-12-31T23:59:59.999999999Z"))
                .isEqualTo(Instant.ofEpochSecond(253_402_300_799L, 999_999_999));
        assertThat(Rfc3339.parse("1970-01-01T00:00:00.000000001Z")).isEqualTo(Instant.ofEpochSecond(0, 1));
    }

    @Test
    void shouldWriteYearsOutsideFourDigitsWithASignThroughTheGeneralWriter() throws Exception {
        char[] buffer = new char[Rfc3339.MAX_LENGTH];
        Instant farFuture = Instant.parse("+10000-01-01T00:00:00Z");
        Instant beforeYearZero = Instant.parse("-0001-12-31T23:59:59Z");

        assertThat(Rfc3339.format(farFuture, buffer)).isEqualTo(-1);
        assertThat(Rfc3339.format(beforeYearZero, buffer)).isEqualTo(-1);
        assertThat(JSON.writeValueAsString(farFuture)).isEqualTo("\"+10000-01-01T00:00:00Z\"");
        assertThat(JSON.writeValueAsString(beforeYearZero)).isEqualTo("\"-0001-12-31T23:59:59Z\"");
        assertThat(JSON.readValue("\"+10000-01-01T00:00:00Z\"", Instant.class)).isEqualTo(farFuture);
    }

    @Test
    void shouldRefuseTextNoParserReads() {
        assertThatThrownBy(() -> JSON.readValue("\"2026-02-30T10:15:30Z\"", Instant.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThatThrownBy(() -> JSON.readValue("\"yesterday\"", Instant.class))
                .isInstanceOf(InvalidFormatException.class);
    }
}
