package dev.strata.support.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    @Test
    void shouldMapFrameworkStatusesToTheirProblemTypeAndSayWhere() {
        Problem notFound = ProblemMapper.forStatus(404, "/groups/x");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.type()).isEqualTo("https://strata.dev/problems/not-found");
        assertThat(notFound.detail()).isEqualTo("No resource at /groups/x.");

        Problem notAllowed = ProblemMapper.forStatus(405, null);
        assertThat(notAllowed.type()).isEqualTo("https://strata.dev/problems/method-not-allowed");
        assertThat(notAllowed.detail()).isEqualTo("This method is not allowed on this path.");

        Problem tooLarge = ProblemMapper.forStatus(413, "/imports");
        assertThat(tooLarge.type()).isEqualTo("https://strata.dev/problems/payload-too-large");
        assertThat(tooLarge.title()).isEqualTo("Payload too large");
    }

    @Test
    void shouldGiveAnInternalErrorOnlyAReference() {
        Problem internal = ProblemMapper.internal("ref-1");

        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.type()).isEqualTo("https://strata.dev/problems/internal-error");
        assertThat(internal.detail()).isEqualTo("Something went wrong on our side. Reference: ref-1");
        assertThat(internal.extensions()).containsEntry("reference", "ref-1");
    }

    @Test
    void shouldDescribeTypesInTheCallersWordsNotJavasNames() {
        assertThat(ProblemMapper.describe(int.class)).isEqualTo("an integer between -2147483648 and 2147483647");
        assertThat(ProblemMapper.describe(Double.class)).isEqualTo("a finite number");
        assertThat(ProblemMapper.describe(UUID.class)).isEqualTo("a UUID");
        assertThat(ProblemMapper.describe(ProblemType.class)).startsWith("one of [malformed_request, ");
        assertThat(ProblemMapper.describe(List.class)).isEqualTo("an array");
        assertThat(ProblemMapper.describe(Instant.class))
                .isEqualTo("an RFC 3339 timestamp between the years 0001 and 9999");
        assertThat(ProblemMapper.describe(Problem.class)).isEqualTo("an object");
        assertThat(ProblemMapper.describe(null)).isEqualTo("another type");
    }

    @Test
    void shouldAnswerWithTheProblemsStatusMediaTypeAndThePathAsInstance() {
        var response = ProblemMapper.respond(Problem.of(ProblemType.CONFLICT, "taken"), null);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    }
}
