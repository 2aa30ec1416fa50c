package dev.strata.support.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonProblemsTest {

    private static final String MALFORMED = "https://strata.dev/problems/malformed-request";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Item(int count) {}

    record Batch(List<Item> items) {}

    @Test
    void shouldNameAnUnknownFieldWithoutRepeatingJacksonsMessage() {
        Problem problem = problemOf("{\"count\": 1, \"colour\": \"red\"}", Item.class);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).isEqualTo(MALFORMED);
        assertThat(problem.detail()).isEqualTo("Unknown field 'colour'.");
        assertThat(problem.errors()).containsExactly(FieldError.of("colour", "unknown field"));
    }

    @Test
    void shouldSayWhatTypeAFieldMustBe() {
        Problem problem = problemOf("{\"count\": \"many\"}", Item.class);

        assertThat(problem.detail()).isEqualTo("Field 'count' must be an integer between -2147483648 and 2147483647.");
        assertThat(problem.errors())
                .containsExactly(FieldError.of("count", "must be an integer between -2147483648 and 2147483647"));
    }

    @Test
    void shouldNameANestedFieldByItsPathWithIndexes() {
        Problem problem = problemOf("{\"items\": [{\"count\": 1}, {\"count\": true}]}", Batch.class);

        assertThat(problem.errors().get(0).field()).isEqualTo("items[1].count");
    }

    @Test
    void shouldDescribeABodyOfTheWrongShapeOnTheRoot() {
        Problem problem = problemOf("[1, 2]", Item.class);

        assertThat(problem.detail()).isEqualTo("The body does not have the expected shape (an object).");
        assertThat(problem.errors()).containsExactly(FieldError.of("$", "must be an object"));
    }

    @Test
    void shouldAnswerInvalidJsonWithItsPlaceButNoClassName() {
        Problem problem = problemOf("{\"count\" 1}", Item.class);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).startsWith("The body is not valid JSON at line 1, column ");
        assertThat(problem.detail()).doesNotContain("Exception").doesNotContain("jackson");
        assertThat(problem.errors()).isEmpty();
    }

    @Test
    void shouldFindTheJacksonFailureBehindAWrapper() {
        JsonProcessingException json = failure("{", Item.class);

        assertThat(JsonProblems.jsonCause(new IllegalStateException(new RuntimeException(json))))
                .isSameAs(json);
        assertThat(JsonProblems.jsonCause(new IllegalStateException("no JSON here")))
                .isNull();
    }

    private static Problem problemOf(String body, Class<?> type) {
        return JsonProblems.of(failure(body, type));
    }

    private static JsonProcessingException failure(String body, Class<?> type) {
        return catchThrowableOfType(() -> JSON.readValue(body, type), JsonProcessingException.class);
    }
}
