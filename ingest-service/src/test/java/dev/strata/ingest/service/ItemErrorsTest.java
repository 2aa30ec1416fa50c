package dev.strata.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.problem.FieldError;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Which values of an item no store keeps as sent, and where they are reported. */
class ItemErrorsTest {

    private static final ObjectMapper EXACT = BatchParser.exact(new ObjectMapper(), 1_000_000);

    private static FieldError unstorable(String json) throws Exception {
        JsonNode item = EXACT.readTree(json);
        return ItemErrors.unstorable(item, 7);
    }

    @Test
    void shouldNameThePathOfTheFirstNulInATextOrAKey() throws Exception {
        assertThat(unstorable("{\"a\":{\"b\":[\"ok\",\"x\\u0000\"]}}"))
                .isEqualTo(FieldError.at(7, "a.b[1]", ItemErrors.NUL));
        assertThat(unstorable("{\"a\":{\"k\\u0000\":1}}")).isEqualTo(FieldError.at(7, "a.k\0", ItemErrors.NUL));
        assertThat(unstorable("\"\\u0000\"")).isEqualTo(FieldError.at(7, "$", ItemErrors.NUL));
        assertThat(unstorable("{\"a\":\"fine\",\"b\":[1,2,{\"c\":true}]}")).isNull();
    }

    @Test
    void shouldRefuseNumbersOutsideWhatDoublesHoldAndKeepTheRest() throws Exception {
        assertThat(unstorable("{\"n\":1e400}")).isEqualTo(FieldError.at(7, "n", ItemErrors.OUT_OF_RANGE));
        assertThat(unstorable("{\"n\":-1e309}")).isEqualTo(FieldError.at(7, "n", ItemErrors.OUT_OF_RANGE));
        assertThat(unstorable("{\"n\":1e-400}")).isEqualTo(FieldError.at(7, "n", ItemErrors.OUT_OF_RANGE));
        assertThat(unstorable("{\"n\":" + "9".repeat(90) + "e300}"))
                .isEqualTo(FieldError.at(7, "n", ItemErrors.OUT_OF_RANGE));
        assertThat(
                        unstorable(
                                "{\"n\":0e-400,\"m\":1.7976931348623157e308,\"k\":4.9e-324,\"big\":123456789012345678901234567890}"))
                .isNull();
        assertThat(ItemErrors.representable(new BigDecimal("-1.7976931348623157e308")))
                .isTrue();
        assertThat(ItemErrors.representable(new BigDecimal("1.8e308"))).isFalse();
    }

    @Test
    void shouldReadDecimalsExactlyWithTheirTrailingZeros() throws Exception {
        JsonNode node = EXACT.readTree("{\"p\":12345678901234567890.123456789,\"r\":1.50}");
        assertThat(node.get("p").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(node.get("r").decimalValue()).isEqualTo(new BigDecimal("1.50"));
        assertThat(new ObjectMapper().writeValueAsString(node))
                .isEqualTo("{\"p\":12345678901234567890.123456789,\"r\":1.50}");
    }
}
