package dev.strata.model.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldBuildAProblemFromItsType() {
        Problem problem = Problem.of(ProblemType.NOT_FOUND, "no group 42");

        assertThat(problem.type()).isEqualTo("https://strata.dev/problems/not-found");
        assertThat(problem.title()).isEqualTo("Not found");
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.detail()).isEqualTo("no group 42");
        assertThat(problem.instance()).isNull();
        assertThat(problem.errors()).isEmpty();
        assertThat(problem.extensions()).isEmpty();
    }

    @Test
    void shouldWriteMembersInOrderWithExtensionsAtTheTopLevelAndNoEmptyOnes() throws Exception {
        Problem problem = Problem.of(ProblemType.QUOTA_EXCEEDED, "entities_total would exceed 100")
                .withInstance("/groups/g/things:batch")
                .withExtension("metric", "entities_total")
                .withExtension("limit", 100)
                .withExtension("upgrade", null);

        assertThat(JSON.writeValueAsString(problem))
                .isEqualTo("{\"type\":\"https://strata.dev/problems/quota-exceeded\",\"title\":\"Quota exceeded\","
                        + "\"status\":409,\"detail\":\"entities_total would exceed 100\","
                        + "\"instance\":\"/groups/g/things:batch\",\"metric\":\"entities_total\",\"limit\":100,"
                        + "\"upgrade\":null}");
    }

    @Test
    void shouldWriteFieldErrorsWithTheirIndexOnlyWhenThereIsOne() throws Exception {
        Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "2 errors")
                .withErrors(List.of(FieldError.at(3, "name", "required"), FieldError.of("atomic", "not a boolean")));

        assertThat(JSON.writeValueAsString(problem))
                .isEqualTo(
                        "{\"type\":\"https://strata.dev/problems/validation-failed\",\"title\":\"Validation failed\","
                                + "\"status\":422,\"detail\":\"2 errors\",\"errors\":["
                                + "{\"index\":3,\"field\":\"name\",\"error\":\"required\"},"
                                + "{\"field\":\"atomic\",\"error\":\"not a boolean\"}]}");
    }

    @Test
    void shouldLeaveTheOriginalUnchangedWhenDerivingAndCopyWhatItIsGiven() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("metric", "users");
        Problem original = new Problem("t", "T", 409, "d", null, null, extensions);
        extensions.put("limit", 5);

        Problem derived = original.withExtension("current", 6).withInstance("/x");

        assertThat(original.extensions()).containsExactly(Map.entry("metric", "users"));
        assertThat(original.errors()).isEmpty();
        assertThat(original.instance()).isNull();
        assertThat(derived.extensions()).containsExactly(Map.entry("metric", "users"), Map.entry("current", 6));
        assertThat(derived.instance()).isEqualTo("/x");
    }

    @Test
    void shouldMapAStatusToItsGenericType() {
        assertThat(ProblemType.forStatus(400)).isEqualTo(ProblemType.MALFORMED_REQUEST);
        assertThat(ProblemType.forStatus(401)).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(ProblemType.forStatus(404)).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(ProblemType.forStatus(409)).isEqualTo(ProblemType.CONFLICT);
        assertThat(ProblemType.forStatus(413)).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE);
        assertThat(ProblemType.forStatus(503)).isEqualTo(ProblemType.SERVICE_UNAVAILABLE);
        assertThat(ProblemType.forStatus(500)).isEqualTo(ProblemType.INTERNAL);
    }

    @Test
    void shouldFallBackToMalformedRequestForOther4xxAndInternalFor5xx() {
        // 422 has only the specific validation-failed type, which needs field errors: not picked for a bare status
        assertThat(ProblemType.forStatus(422)).isEqualTo(ProblemType.MALFORMED_REQUEST);
        assertThat(ProblemType.forStatus(418)).isEqualTo(ProblemType.MALFORMED_REQUEST);
        assertThat(ProblemType.forStatus(502)).isEqualTo(ProblemType.INTERNAL);
        assertThat(ProblemType.forStatus(504)).isEqualTo(ProblemType.INTERNAL);
    }

    @Test
    void shouldGiveEveryTypeADistinctUriUnderTheBase() {
        assertThat(ProblemType.values())
                .extracting(ProblemType::uri)
                .allSatisfy(uri -> assertThat(uri).startsWith("https://strata.dev/problems/"))
                .doesNotHaveDuplicates();
    }
}
