package dev.strata.testing;

import dev.strata.local.DevTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

/**
 * What every Strata service owes the platform (issue: platform), checked against the real database and
 * broker: health with database and Kafka readiness, Prometheus metrics, OpenAPI and Swagger UI, JWT on every
 * endpoint with problem+json failures, and a Flyway-owned schema. Each service extends it once.
 */
public abstract class PlatformContractTest {

    /** The schema the service's Flyway migrations own. */
    protected abstract String schema();

    /** A table the service's first migration creates in its schema. */
    protected abstract String ownedTable();

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void shouldBeReadyOnlyWithDatabaseAndKafkaChecksUp() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
    }

    @Test
    void shouldBeLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldExposePrometheusMetrics() {
        given().accept("text/plain").get("/q/metrics").then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void shouldPublishOpenApiWithBearerSchemeAndSwaggerUi() {
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("paths", hasKey("/me"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("https://strata.dev/problems/unauthorized"))
                .body("status", equalTo(401))
                .body("title", equalTo("Authentication required"));
    }

    @Test
    void shouldAnswer401ProblemForTokenSignedByAnotherKey() throws Exception {
        DevTokens stranger = DevTokens.inDirectory(Files.createTempDirectory("stranger-keys"));
        String forged = stranger.mint("mallory", List.of(), List.of("admin"), Duration.ofMinutes(5));
        given().auth().oauth2(forged).get("/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer401ProblemForExpiredToken() {
        given().auth().oauth2(TestTokens.expired(UUID.randomUUID())).get("/me").then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldReportTheTenantsAndRolesOfTheToken() {
        UUID group = UUID.randomUUID();
        given().auth().oauth2(TestTokens.forTenants(group)).get("/me").then()
                .statusCode(200)
                .body("tenants", equalTo(List.of(group.toString())))
                .body("roles", equalTo(List.of("user")))
                .body("allGroups", equalTo(false));
        given().auth().oauth2(TestTokens.admin()).get("/me").then()
                .statusCode(200)
                .body("allGroups", equalTo(true));
    }

    @Test
    void shouldAnswer404ProblemForUnknownPath() {
        given().auth().oauth2(TestTokens.admin()).get("/no-such-thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/not-found"));
    }

    @Test
    void shouldOwnItsSchemaThroughFlyway() throws Exception {
        TestEndpoints db = TestServers.ensureStarted();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.dbUser(), db.dbPassword());
             PreparedStatement history = connection.prepareStatement(
                     "SELECT count(*) FROM " + schema() + ".flyway_schema_history WHERE success AND version = '1'");
             PreparedStatement table = connection.prepareStatement(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            try (ResultSet rs = history.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("migration V1 applied in schema %s", schema()).isEqualTo(1);
            }
            table.setString(1, schema());
            table.setString(2, ownedTable());
            try (ResultSet rs = table.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("table %s.%s", schema(), ownedTable()).isEqualTo(1);
            }
        }
    }
}
