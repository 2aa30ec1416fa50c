package dev.strata.support.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.support.problem.JsonProblems;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hardened mapper against the bodies the issue measured, and the problem each failure becomes. */
class JsonHardeningTest {

    record Reserve(String metric, Long amount) {}

    record Count(int count) {}

    record Overrides(Map<String, Long> overrides) {}

    record Strength(Double strength, double weight) {}

    record Tags(List<String> tags) {}

    record Window(Instant from, Instant to) {}

    private final ObjectMapper mapper = JsonHardening.harden(new ObjectMapper().registerModule(new JavaTimeModule()));

    @Test
    void shouldTakeTimesOnlyWithinTheYears0001To9999() throws Exception {
        assertThat(mapper.readValue(
                        "{\"from\":\"0001-01-01T00:00:00Z\",\"to\":\"9999-12-31T23:59:59.999Z\"}", Window.class))
                .isEqualTo(
                        new Window(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z")));
        assertThat(problemOf("{\"from\":\"+10000-01-01T00:00:00Z\"}", Window.class)
                        .errors())
                .containsExactly(
                        FieldError.of("from", "must be an RFC 3339 timestamp between the years 0001 and 9999"));
        assertThat(problemOf("{\"to\":\"-0001-12-31T00:00:00Z\"}", Window.class).errors())
                .extracting(FieldError::field)
                .containsExactly("to");
        assertThat(problemOf("{\"to\":1e300}", Window.class).errors())
                .extracting(FieldError::field)
                .containsExactly("to");
        assertThat(problemOf("{\"to\":1700000000}", Window.class).errors())
                .extracting(FieldError::field)
                .containsExactly("to");
    }

    @Test
    void shouldKeepEveryLegitimateValue() throws Exception {
        assertThat(mapper.readValue("{\"metric\":\"entities_total\",\"amount\":9223372036854775807}", Reserve.class))
                .isEqualTo(new Reserve("entities_total", Long.MAX_VALUE));
        assertThat(mapper.readValue("{\"strength\":0.25,\"weight\":1e300}", Strength.class))
                .isEqualTo(new Strength(0.25, 1e300));
        assertThat(mapper.readValue("{\"tags\":[\"a\\tb\",\"line\\nbreak\"]}", Tags.class)
                        .tags())
                .containsExactly("a\tb", "line\nbreak");
        assertThat(mapper.readValue("{\"metric\":\"" + "x".repeat(JsonLimits.MAX_STRING_LENGTH) + "\"}", Reserve.class)
                        .metric())
                .hasSize(JsonLimits.MAX_STRING_LENGTH);
    }

    @Test
    void shouldRefuseAFloatForAnIntegerField() {
        Problem problem = problemOf("{\"metric\":\"m\",\"amount\":1.5}", Reserve.class);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).isEqualTo("https://strata.dev/problems/malformed-request");
        assertThat(problem.errors())
                .containsExactly(FieldError.of(
                        "amount", "must be an integer between -9223372036854775808 and 9223372036854775807"));
    }

    @Test
    void shouldRefuseAnExponentTooLargeForALong() {
        Problem problem = problemOf("{\"metric\":\"m\",\"amount\":1e400}", Reserve.class);
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("amount");
        assertThat(problem.status()).isEqualTo(400);
    }

    @Test
    void shouldRefuseIntegersBeyondTheirJavaType() {
        assertThat(problemOf("{\"amount\":9223372036854775808}", Reserve.class).errors())
                .containsExactly(FieldError.of(
                        "amount", "out of range for an integer between -9223372036854775808 and 9223372036854775807"));
        assertThat(problemOf("{\"count\":2147483648}", Count.class).detail())
                .isEqualTo("Field 'count' is out of range (must be an integer between -2147483648 and 2147483647).");
    }

    @Test
    void shouldRefuseNonFiniteDoubles() {
        assertThat(problemOf("{\"strength\":1e400,\"weight\":1}", Strength.class)
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("strength");
        assertThat(problemOf("{\"strength\":1,\"weight\":-1e400}", Strength.class)
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("weight");
    }

    @Test
    void shouldRefuseNullForAPrimitive() {
        assertThat(problemOf("{\"count\":null}", Count.class).errors())
                .extracting(FieldError::field)
                .containsExactly("count");
    }

    @Test
    void shouldRefuseNulInStringsAndFieldNamesNamingTheField() {
        assertThat(problemOf("{\"metric\":\"a\\u0000b\"}", Reserve.class).errors())
                .containsExactly(FieldError.of("metric", "must not contain NUL characters"));
        assertThat(problemOf("{\"tags\":[\"ok\",\"\\u0000\"]}", Tags.class).errors())
                .containsExactly(FieldError.of("tags[1]", "must not contain NUL characters"));
        assertThat(problemOf("{\"overrides\":{\"a\\u0000\":1}}", Overrides.class)
                        .detail())
                .isEqualTo("Field 'overrides' must not contain NUL characters.");
    }

    @Test
    void shouldRefuseDeepNestingLongNamesAndLongNumbers() throws Exception {
        int depth = JsonLimits.MAX_NESTING_DEPTH;
        assertThat(mapper.readValue("[".repeat(depth) + "]".repeat(depth), Object.class))
                .isNotNull();
        String deep = "{\"v\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertThat(problemOf(deep, Object.class).detail())
                .isEqualTo("The body exceeds a JSON limit: nesting depth above 64.");
        String name = "{\"" + "n".repeat(JsonLimits.MAX_NAME_LENGTH + 1) + "\":1}";
        assertThat(problemOf(name, Overrides.class).detail())
                .isEqualTo("The body exceeds a JSON limit: a field name longer than 1024 characters.");
        String number = "{\"amount\":" + "1".repeat(JsonLimits.MAX_NUMBER_LENGTH + 1) + "}";
        assertThat(problemOf(number, Reserve.class).detail())
                .startsWith("The body exceeds a JSON limit: a number longer than 100 characters");
        String string = "{\"metric\":\"" + "x".repeat(JsonLimits.MAX_STRING_LENGTH + 1) + "\"}";
        assertThat(problemOf(string, Reserve.class).detail())
                .startsWith("The body exceeds a JSON limit: a string longer than 1048576 characters");
    }

    @Test
    void shouldNeverRepeatJacksonsMessage() {
        Problem problem = problemOf("{\"amount\":\"x\"}", Reserve.class);
        assertThat(problem.detail()).doesNotContain("java.", "Cannot", "Reserve");
        assertThat(problemOf("{\"amount\":", Reserve.class).detail()).doesNotContain("java.", "Unexpected");
    }

    private Problem problemOf(String json, Class<?> type) {
        JsonProcessingException e =
                catchThrowableOfType(JsonProcessingException.class, () -> mapper.readValue(json, type));
        assertThat(e)
                .as("parsing %s", json.length() > 80 ? json.substring(0, 80) : json)
                .isNotNull();
        return JsonProblems.of(e);
    }
}
