package dev.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch resources declare their answers once, on the class: every operation of them must still list them, and
 * an operation's own 200 (an update's, an event batch's) must win over the class's.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class BatchOpenApiTest {

    private JsonNode paths;

    @BeforeEach
    void readDocument() throws Exception {
        String json = given().accept(ContentType.JSON)
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        paths = new ObjectMapper().readTree(json).path("paths");
    }

    @Test
    void shouldListTheClassAnswersOnEveryBatchOperation() {
        List<String> operations = List.of(
                "/groups/{groupId}/things:batch post",
                "/groups/{groupId}/things:batch patch",
                "/groups/{groupId}/connections:batch post",
                "/groups/{groupId}/knowledge:batch post",
                "/groups/{groupId}/events:batch post");
        List<String> missing = new ArrayList<>();
        for (String operation : operations) {
            String[] at = operation.split(" ");
            JsonNode responses = paths.path(at[0]).path(at[1]).path("responses");
            for (String code : List.of("200", "404", "409", "413", "422")) {
                if (!responses.has(code)) {
                    missing.add(operation + " " + code);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldKeepAnOperationsOwn200OverTheClasss() {
        assertThat(schemaOf200("/groups/{groupId}/things:batch", "post")).endsWith("/BatchResult");
        assertThat(schemaOf200("/groups/{groupId}/things:batch", "patch")).endsWith("/UpdateResult");
        assertThat(schemaOf200("/groups/{groupId}/connections:batch", "post")).endsWith("/BatchResult");
        assertThat(schemaOf200("/groups/{groupId}/events:batch", "post")).endsWith("/EventBatchResult");
    }

    private String schemaOf200(String path, String method) {
        return paths.path(path)
                .path(method)
                .path("responses")
                .path("200")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref")
                .asText();
    }
}
