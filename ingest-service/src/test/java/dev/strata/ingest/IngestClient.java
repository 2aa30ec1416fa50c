package dev.strata.ingest;

import dev.strata.testing.TestTokens;
import io.restassured.response.ValidatableResponse;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Calls ingest-service the way a client does, for the tests of this module. */
final class IngestClient {

    private IngestClient() {
    }

    /** A new group (as admin) and its id. */
    static UUID newGroup(String plan) {
        String id = given().auth().oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{\"name\":\"test group\",\"plan\":\"" + plan + "\"}")
                .post("/groups")
                .then().statusCode(201)
                .extract().path("id");
        return UUID.fromString(id);
    }

    static ValidatableResponse postThings(UUID group, String json) {
        return given().auth().oauth2(TestTokens.forTenants(group))
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
}
