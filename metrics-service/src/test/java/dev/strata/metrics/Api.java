package dev.strata.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.testing.TestTokens;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/** Calls the service as a tenant of the group and reads answers as JSON trees. */
final class Api {

    private Api() {}

    static Response call(UUID group, String path, Map<String, ?> query) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .queryParams(query)
                .get(path);
    }

    /** GET as the group's tenant; asserts 200 and returns the body. */
    static JsonNode get(UUID group, String path, Map<String, ?> query) {
        Response response = call(group, path, query);
        assertThat(response.statusCode())
                .as("GET %s %s: %s", path, query, response.asString())
                .isEqualTo(200);
        return json(response.asString());
    }

    static JsonNode get(UUID group, String path) {
        return get(group, path, Map.of());
    }

    static JsonNode json(String text) {
        try {
            return Scenario.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-reads a tree with the event mapper's number handling, so 20.50 and 20.5 compare equal. */
    static JsonNode normalized(JsonNode node) {
        return json(node.toString());
    }

    /** Waits until the group's projections have applied {@code eventId} (their position is at or past it). */
    static void awaitApplied(UUID group, String eventId) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(get(group, "/groups/" + group + "/metrics")
                                .path("_freshness")
                                .path("position")
                                .asText())
                        .isEqualTo(eventId));
    }

    /** The answer without what legitimately changes from one read to the next. */
    static JsonNode stable(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("_freshness");
            object.remove("computationTime");
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                strip(children.next());
            }
        } else if (node.isArray()) {
            node.forEach(Api::strip);
        }
    }
}
