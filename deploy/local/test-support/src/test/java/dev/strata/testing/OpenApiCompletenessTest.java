package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiCompletenessTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A document with one operation; {@code %s} takes the operation's JSON (single quotes become double). */
    private static JsonNode doc(String path, String method, String operation) throws Exception {
        String json = """
                {"openapi": "3.1.0",
                 "paths": {"%s": {"%s": %s}},
                 "components": {"schemas": {
                   "Group": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                             "example": {"id": "g1", "name": "Acme"}},
                   "Bare": {"type": "object"},
                   "Problem": {"type": "object", "properties": {"type": {"type": "string"}}}}}}
                """.formatted(path, method, operation.replace('\'', '"'));
        return MAPPER.readTree(json);
    }

    private static final String PROBLEM_400 = "'400': {'description': 'x', 'content': {'application/problem+json':"
            + " {'schema': {'$ref': '#/components/schemas/Problem'}}}}";
    private static final String GROUP_200 = "'200': {'description': 'ok', 'content': {'application/json':"
            + " {'schema': {'$ref': '#/components/schemas/Group'}}}}";

    private static List<String> gaps(JsonNode doc) {
        return OpenApiCompleteness.gaps(doc, Set.of("POST /runs"), path -> path.startsWith("/q/"));
    }

    @Test
    void shouldFindNoGapInAFullyDescribedOperation() throws Exception {
        JsonNode doc = doc(
                "/groups",
                "post",
                "{'summary': 'Create a group', "
                        + "'requestBody': {'content': {'application/json': {'schema': {'$ref': '#/components/schemas/Group'}}}},"
                        + "'responses': {" + GROUP_200 + ", " + PROBLEM_400 + "}}");

        assertThat(gaps(doc)).isEmpty();
    }

    @Test
    void shouldReportAJsonNodeBodyAsHavingNoSchema() throws Exception {
        JsonNode doc = doc(
                "/groups",
                "post",
                "{'summary': 'Create a group', "
                        + "'requestBody': {'content': {'application/json': {'schema': {'$ref': '#/components/schemas/Bare'}}}},"
                        + "'responses': {" + GROUP_200 + ", " + PROBLEM_400 + "}}");

        assertThat(gaps(doc))
                .containsExactly(
                        "POST /groups: request body (application/json): no schema (an empty object, as JsonNode gives, "
                                + "does not count)");
    }

    @Test
    void shouldReportAWriteWithoutBodyUnlessNamedBodiless() throws Exception {
        String operation = "{'summary': 'Start', 'responses': {" + GROUP_200 + ", " + PROBLEM_400 + "}}";

        assertThat(gaps(doc("/jobs", "post", operation)))
                .containsExactly("POST /jobs: takes a body but declares no request body schema");
        assertThat(gaps(doc("/runs", "post", operation))).isEmpty();
    }

    @Test
    void shouldReportMissingSummarySuccessExampleAndProblems() throws Exception {
        JsonNode doc = doc(
                "/things",
                "get",
                "{'responses': {'200': {'description': 'ok', 'content': "
                        + "{'application/json': {'schema': {'type': 'object', 'properties': {'n': {'type': 'integer'}}}}}},"
                        + "'404': {'description': 'not found'}}}");

        assertThat(gaps(doc))
                .containsExactlyInAnyOrder(
                        "GET /things: no summary",
                        "GET /things: response 200 (application/json): no example",
                        "GET /things: response 404 is not application/problem+json");
    }

    @Test
    void shouldReportAnOperationWithNoSuccessOrNoClientError() throws Exception {
        JsonNode doc = doc(
                "/things",
                "get",
                "{'summary': 's', 'responses': {'500': {'description': 'x', "
                        + "'content': {'application/problem+json': {}}}}}");

        assertThat(gaps(doc))
                .containsExactlyInAnyOrder("GET /things: no 2xx response", "GET /things: lists no problem (4xx)");
    }

    @Test
    void shouldReportAnExampleNamingFieldsTheSchemaLacks() throws Exception {
        JsonNode doc = doc(
                "/groups/{id}",
                "get",
                "{'summary': 's', 'responses': {'200': {'description': 'ok',"
                        + " 'content': {'application/json': {'schema': {'$ref': '#/components/schemas/Group'},"
                        + " 'example': {'id': 'g', 'plan': 'pro'}}}}, " + PROBLEM_400 + "}}");

        assertThat(gaps(doc))
                .containsExactly(
                        "GET /groups/{id}: response 200 (application/json): example names fields the schema lacks: [plan]");
    }

    @Test
    void shouldTakeAnArrayItemsExampleAndANullableReference() throws Exception {
        JsonNode doc = doc(
                "/groups",
                "get",
                "{'summary': 's', 'responses': {'200': {'description': 'ok',"
                        + " 'content': {'application/json': {'schema': {'type': 'array', 'items': {'anyOf': "
                        + "[{'$ref': '#/components/schemas/Group'}, {'type': 'null'}]}}}}}, " + PROBLEM_400 + "}}");

        assertThat(gaps(doc)).isEmpty();
    }

    @Test
    void shouldAcceptNoContentForA204AndSkipTheGivenPaths() throws Exception {
        JsonNode doc = doc("/q/health", "get", "{}");
        assertThat(gaps(doc)).isEmpty();

        JsonNode deletion = doc(
                "/holds/{id}",
                "delete",
                "{'summary': 'Lift', 'responses': {'204': " + "{'description': 'lifted'}, " + PROBLEM_400 + "}}");
        assertThat(gaps(deletion)).isEmpty();
    }
}
