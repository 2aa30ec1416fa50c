package dev.strata.ingest;

import static io.restassured.RestAssured.given;

import dev.strata.testing.TestTokens;
import io.restassured.response.ValidatableResponse;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Calls ingest-service the way a client does, for the tests of this module. */
final class IngestClient {

    private IngestClient() {}

    /** A new group (as admin) and its id. */
    static UUID newGroup(String plan) {
        String id = given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"name\":\"test group\",\"plan\":\"" + plan + "\"}")
                .post("/groups")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    static ValidatableResponse postThings(UUID group, String json) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/json")
                .body(json)
                .post("/groups/{g}/things:batch", group)
                .then();
    }

    static long things(UUID group) {
        return dev.strata.testing.TestDatabase.scalar("SELECT count(*) FROM ingest.things WHERE group_id = ?", group);
    }

    static long activity(UUID group, String type) {
        return dev.strata.testing.TestDatabase.scalar(
                "SELECT count(*) FROM ingest.events WHERE group_id = ? AND type = ?", group, type);
    }

    /** Creates one thing per type (named after its position) and returns their ids in the same order. */
    static List<String> newThings(UUID group, String... types) {
        String items = Arrays.stream(types)
                .map(type -> "{\"type\":\"" + type + "\",\"name\":\"" + type + "\"}")
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
        return postThings(group, items).statusCode(200).extract().path("created");
    }

    /** POSTs a JSON body to a path of the group, e.g. {@code connections:batch}, as a tenant of the group. */
    static ValidatableResponse post(UUID group, String path, String json) {
        return given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/json")
                .body(json)
                .post("/groups/{g}/" + path, group)
                .then();
    }

    static long rows(String table, UUID group) {
        return dev.strata.testing.TestDatabase.scalar(
                "SELECT count(*) FROM ingest." + table + " WHERE group_id = ?", group);
    }

    /** NDJSON lines of users named {@code item <n>} for n from {@code first}, one per line: an import body. */
    static String users(int first, int lines) {
        return IntStream.range(first, first + lines)
                .mapToObj(i -> "{\"type\":\"user\",\"name\":\"item " + i + "\",\"properties\":{\"n\":" + i + "}}\n")
                .collect(Collectors.joining());
    }
}
