package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import dev.strata.testing.Unreachable;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code spool-store=s3} with the S3 store away: an upload is refused with 503 and nothing is queued or left behind. */
@QuarkusTest
@TestProfile(S3SpoolDownTest.S3Away.class)
@WithTestResource(StrataTestStack.class)
class S3SpoolDownTest {

    static final Path SPOOL =
            Path.of(System.getProperty("java.io.tmpdir"), "strata-s3-spool-down-" + UUID.randomUUID());

    public static class S3Away implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "strata.ingest.imports.spool-store",
                    "s3",
                    "strata.ingest.imports.spool-directory",
                    SPOOL.toString(),
                    "strata.s3.endpoint",
                    Unreachable.httpEndpoint(),
                    "strata.s3.connect-timeout",
                    "1s");
        }
    }

    @Test
    void shouldRefuseAnUploadItCannotKeepAndQueueNothing() throws IOException {
        UUID group = newGroup("enterprise");
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .contentType("application/x-ndjson")
                .body("{\"type\":\"user\",\"name\":\"a\",\"properties\":{}}\n".getBytes(StandardCharsets.UTF_8))
                .post("/groups/{g}/imports", group)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"))
                .body("detail", containsString("could not be stored in S3"))
                .body("detail", containsString("Nothing was queued"));

        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.import_jobs WHERE group_id = ?", group))
                .isZero();
        try (var files = Files.list(SPOOL)) {
            assertThat(files.toList()).as("no spool file is left").isEmpty();
        }
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/q/health/ready")
                .then()
                .statusCode(200);
    }
}
