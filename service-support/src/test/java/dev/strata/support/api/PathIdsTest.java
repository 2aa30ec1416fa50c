package dev.strata.support.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PathIdsTest {

    @Test
    void shouldParseAUuidOfThirtySixCharacters() {
        assertThat(PathIds.uuid("00000000-0000-0000-0000-00000000000a", "groupId"))
                .isEqualTo(new UUID(0, 10));
    }

    @Test
    void shouldRefuseAShortenedUuidThatJavaWouldAccept() {
        // UUID.fromString takes "1-1-1-1-1"; a path id must be written out in full
        assertRefused(() -> PathIds.uuid("1-1-1-1-1", "groupId"), "groupId", "must be a UUID");
        assertRefused(() -> PathIds.uuid(null, "groupId"), "groupId", "must be a UUID");
    }

    @Test
    void shouldReadAnAbsentOptionalValueAsNull() {
        assertThat(PathIds.optionalUuid("", "actor")).isNull();
        assertThat(PathIds.optionalInstant(null, "since")).isNull();
    }

    @Test
    void shouldTakeATimeWithinTheRangeAndRefuseOneOutsideIt() {
        assertThat(PathIds.optionalInstant("1970-01-02T00:00:00Z", "since")).isEqualTo(Instant.ofEpochSecond(86_400));
        assertThatThrownBy(() -> PathIds.optionalInstant("2024-13-01T00:00:00Z", "since"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("since"));
    }

    @Test
    void shouldTakeWholeNumbersWithinTheBoundsOnly() {
        assertThat(PathIds.wholeNumber("7", "limit", 1, 10)).isEqualTo(7);
        assertThat(PathIds.wholeNumber(null, "limit", 1, 10, 5)).isEqualTo(5);
        assertRefused(() -> PathIds.wholeNumber("11", "limit", 1, 10), "limit", "must be a whole number from 1 to 10");
        assertRefused(() -> PathIds.wholeNumber("2.5", "limit", 1, 10), "limit", "must be a whole number from 1 to 10");
    }

    @Test
    void shouldTakeOnlyTrueOrFalseAsAFlag() {
        assertThat(PathIds.flag("true", "all", false)).isTrue();
        assertThat(PathIds.flag(null, "all", true)).isTrue();
        assertRefused(() -> PathIds.flag("yes", "all", false), "all", "must be true or false");
    }

    @Test
    void shouldListTheAllowedValuesInOrderWhenOneIsNotAmongThem() {
        assertThat(PathIds.oneOf("week", "window", Set.of("day", "week"), "day"))
                .isEqualTo("week");
        assertRefused(
                () -> PathIds.oneOf("year", "window", Set.of("week", "day"), "day"),
                "window",
                "must be one of day, week");
    }

    private static void assertRefused(Runnable call, String parameter, String requirement) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().detail()).isEqualTo("'" + parameter + "' " + requirement + ".");
            assertThat(e.problem().errors()).containsExactly(FieldError.of(parameter, requirement));
        });
    }
}
