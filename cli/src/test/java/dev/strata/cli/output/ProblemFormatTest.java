package dev.strata.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemFormatTest {

    @Test
    void shouldPrintStatusTitleDetailAndEachValidationError() {
        String problem = """
                {"type":"https://strata.dev/problems/validation-failed","title":"Validation failed","status":422,
                 "detail":"2 of 3 items are invalid.","errors":[
                   {"index":0,"field":"name","error":"must not be blank"},
                   {"field":"plan","error":"unknown plan 'gold'"},
                   {"index":2,"error":"not a JSON object"}]}""";

        assertThat(ProblemFormat.lines(422, problem))
                .containsExactly(
                        "422 Validation failed: 2 of 3 items are invalid.",
                        "  - item 0, name: must not be blank",
                        "  - plan: unknown plan 'gold'",
                        "  - item 2: not a JSON object");
    }

    @Test
    void shouldPrintExtensionMembersOfTheProblem() {
        String problem = """
                {"type":"https://strata.dev/problems/quota-exceeded","title":"Quota exceeded","status":409,
                 "detail":"The batch would exceed entities_total.","metric":"entities_total","limit":100,
                 "upgrade":null}""";

        assertThat(ProblemFormat.lines(409, problem))
                .containsExactly(
                        "409 Quota exceeded: The batch would exceed entities_total.",
                        "  metric: entities_total",
                        "  limit: 100",
                        "  upgrade: null");
    }

    @Test
    void shouldPrintTheForbiddenProblemOfAnotherTenantsGroup() {
        String problem = "{\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"This token does not grant access to group 42.\"}";

        assertThat(ProblemFormat.lines(403, problem))
                .containsExactly("403 Forbidden: This token does not grant access to group 42.");
    }

    @Test
    void shouldFallBackToTheReasonWhenTheBodyIsNotAProblem() {
        assertThat(ProblemFormat.lines(502, "<html>\n<body>Bad   gateway</body></html>"))
                .containsExactly("502 Bad Gateway: <html> <body>Bad gateway</body></html>");
        assertThat(ProblemFormat.lines(401, "")).containsExactly("401 Unauthorized (no body)");
        assertThat(ProblemFormat.lines(418, "{\"status\":418}")).containsExactly("418 Error");
        assertThat(ProblemFormat.lines(500, "x".repeat(400)).get(0))
                .hasSize("500 Internal Server Error: ".length() + ProblemFormat.MAX_BODY + 3)
                .endsWith("...");
    }
}
