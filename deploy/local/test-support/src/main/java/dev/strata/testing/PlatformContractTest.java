package dev.strata.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.local.DevTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every Strata service owes the platform (issue: platform), checked against the real database and
 * broker: health with database and Kafka readiness, Prometheus metrics, OpenAPI and Swagger UI, JWT on every
 * endpoint with problem+json failures, and a Flyway-owned schema; and the edges every service shares
 * (service-support's RequestEdge, ProblemMapper, JsonHardening): every error problem+json, framework-made ones
 * included, body limits as bytes arrive, control characters refused, authorization before any validation,
 * record-bound JSON kept exact or refused, input-caused database errors as 400. Each service extends it once.
 */
public abstract class PlatformContractTest {

    protected static final String PROBLEM_JSON = "application/problem+json";
    protected static final String PROBLEMS = "https://strata.dev/problems/";

    /** A JSON endpoint that reads its body; {@code %s} in the path stands for the caller's group. */
    public record JsonEndpoint(String method, String path) {
        String at(UUID group) {
            return path.contains("%s") ? String.format(path, group) : path;
        }
    }

    /** The schema the service's Flyway migrations own. */
    protected abstract String schema();

    /** A table the service's own versioned migrations create in its schema. */
    protected abstract String ownedTable();

    /** A path below {@code /groups/%s/} that answers GET (it may ignore query parameters). */
    protected abstract String groupReadPath();

    /** The service's own JSON endpoint (body bound and read); by default the test-only echo of PlatformProbe. */
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", PlatformProbe.PATH + "/echo");
    }

    /** The body limit of {@link #jsonEndpoint()} in the test profile, as the 413 problem names it. */
    protected long jsonEndpointLimit() {
        return 65_536;
    }

    /** The configuration property that sets {@link #jsonEndpointLimit()}. */
    protected String jsonEndpointLimitProperty() {
        return "strata.http.max-body-bytes";
    }

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void shouldBeReadyOnlyWithDatabaseAndKafkaChecksUp() {
        given().get("/q/health/ready")
                .then()
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
        given().accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void shouldPublishOpenApiWithBearerSchemeAndSwaggerUi() {
        given().accept(ContentType.JSON)
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/me"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** The writes of service-support's resources, in every service, that take no body. */
    private static final Set<String> SHARED_BODILESS = Set.of(
            "POST /admin/stream-consumer/pause",
            "POST /admin/stream-consumer/resume",
            "POST /admin/stream-consumer/quarantine/{topic}/{partition}/{offset}/reapply");

    /** The writes of this service that take no body ({@code "POST /archival/runs"}): they need no request schema. */
    protected Set<String> bodilessWrites() {
        return Set.of();
    }

    @Test
    void shouldDescribeEveryOperationWithSchemasExamplesAndProblems() throws Exception {
        String json = given().accept(ContentType.JSON)
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        Set<String> bodiless = new java.util.HashSet<>(SHARED_BODILESS);
        bodiless.addAll(bodilessWrites());
        List<String> gaps = OpenApiCompleteness.gaps(
                new ObjectMapper().readTree(json),
                bodiless,
                path -> path.startsWith("/q/") || path.startsWith(PlatformProbe.PATH));

        assertThat(gaps)
                .as("operations a client cannot learn from the OpenAPI document")
                .isEmpty();
    }

    @Test
    void shouldAnswer401ProblemWithoutToken() {
        given().get("/me")
                .then()
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
        given().auth().oauth2(forged).get("/me").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer401ProblemForExpiredToken() {
        given().auth()
                .oauth2(TestTokens.expired(UUID.randomUUID()))
                .get("/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldReportTheTenantsAndRolesOfTheToken() {
        UUID group = UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.forTenants(group))
                .get("/me")
                .then()
                .statusCode(200)
                .body("tenants", equalTo(List.of(group.toString())))
                .body("roles", equalTo(List.of("user")))
                .body("allGroups", equalTo(false));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/me")
                .then()
                .statusCode(200)
                .body("allGroups", equalTo(true));
    }

    @Test
    void shouldAnswer404ProblemForUnknownPath() {
        for (String path : List.of("/no-such-thing", "/nope", "/q/nope", "/groups/" + UUID.randomUUID() + "/nope")) {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo(PROBLEMS + "not-found"))
                    .body("status", equalTo(404));
        }
        given().get("/nope").then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldAnswer405ProblemForAMethodTheResourceDoesNotTake() {
        given().auth()
                .oauth2(TestTokens.admin())
                .delete("/me")
                .then()
                .statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "method-not-allowed"))
                .body("detail", equalTo("This method is not allowed on /me."));
        // A path under /groups/{groupId}, where a broader resource class is also a candidate (JAX-RS says 404).
        given().auth()
                .oauth2(TestTokens.admin())
                .delete(String.format(groupReadPath(), UUID.randomUUID()))
                .then()
                .statusCode(405)
                .contentType(PROBLEM_JSON)
                .header("Allow", not(emptyOrNullString()))
                .body("type", equalTo(PROBLEMS + "method-not-allowed"));
    }

    @Test
    void shouldAnswer400ProblemForARequestTargetThatIsNotAUri() {
        RawHttp.Response answer = RawHttp.send(
                "127.0.0.1",
                RestAssured.port,
                new RawHttp.Request(
                        "GET",
                        "/me?x=%zz",
                        RawHttp.headers(Map.of("Authorization", "Bearer " + TestTokens.admin())),
                        null,
                        false,
                        null),
                Duration.ofSeconds(30));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("content-type")).isEqualTo(PROBLEM_JSON);
        assertThat(answer.bodyText()).contains("\"type\":\"" + PROBLEMS + "malformed-request\"");
    }

    @Test
    void shouldAnswer415ProblemForABodyThatIsNotJson() {
        UUID group = UUID.randomUUID();
        JsonEndpoint endpoint = jsonEndpoint();
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(type)
                    .body("a=b")
                    .request(endpoint.method(), endpoint.at(group))
                    .then()
                    .statusCode(415)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo(PROBLEMS + "unsupported-media-type"))
                    .body("detail", not(containsString("Exception")));
        }
    }

    @Test
    void shouldAnswer406ProblemForAnAcceptItCannotServe() {
        given().auth()
                .oauth2(TestTokens.admin())
                .accept("application/xml")
                .get("/me")
                .then()
                .statusCode(406)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "not-acceptable"));
    }

    @Test
    void shouldAnswer500ProblemWithALoggedReferenceForAFailureOnTheRouter() {
        given().get(PlatformProbe.RouterFailure.ROUTE)
                .then()
                .statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "internal-error"))
                .body("reference", matchesPattern("[0-9a-f-]{36}"))
                .body("detail", not(containsString("IllegalStateException")))
                .body("detail", not(containsString("probe")))
                .body("$", not(hasKey("stack")));
    }

    /** The declared length alone is refused: the test sends no body at all, and the answer comes all the same. */
    @Test
    void shouldRefuseADeclaredOversizeBodyFromItsContentLength() throws Exception {
        JsonEndpoint endpoint = jsonEndpoint();
        RawHttp.Response result = RawHttp.send(
                "127.0.0.1",
                RestAssured.port,
                new RawHttp.Request(
                        endpoint.method(),
                        endpoint.at(UUID.randomUUID()),
                        jsonRequestHeaders(),
                        null,
                        false,
                        jsonEndpointLimit() + 1),
                Duration.ofSeconds(30));
        assertOversizeRefused(result);
        // Paths without a limit of their own take the platform default, whatever the method.
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(new byte[65_537])
                .post("/me")
                .then()
                .statusCode(413)
                .contentType(PROBLEM_JSON)
                .body("limit", equalTo("strata.http.max-body-bytes"))
                .body("maximum", equalTo(65_536));
    }

    /**
     * 200 MB of spaces, chunked, to an endpoint that reads its body: 413 once the limit is passed, the connection
     * closed, the rest never read. The test JVM is the service's, so a body that were buffered would show as a
     * client that could send it all.
     */
    @Test
    void shouldCutAChunkedOversizeBodyOffAtItsLimit() throws Exception {
        JsonEndpoint endpoint = jsonEndpoint();
        RawHttp.Response result = RawHttp.send(
                "127.0.0.1",
                RestAssured.port,
                new RawHttp.Request(
                        endpoint.method(),
                        endpoint.at(UUID.randomUUID()),
                        jsonRequestHeaders(),
                        RequestBody.repeated("", " ", 200_000_000L, ""),
                        true,
                        null),
                Duration.ofSeconds(60));
        assertOversizeRefused(result);
        assertThat(result.bytesSent())
                .as("bytes the service took before closing")
                .isLessThan(100_000_000L);
    }

    private static List<Map.Entry<String, String>> jsonRequestHeaders() {
        return RawHttp.headers(new LinkedHashMap<>(
                Map.of("Authorization", "Bearer " + TestTokens.admin(), "Content-Type", "application/json")));
    }

    private void assertOversizeRefused(RawHttp.Response result) {
        assertThat(result.status())
                .as("answer %s %s", result.error(), result.bodyText())
                .isEqualTo(413);
        assertThat(result.header("content-type")).isEqualTo(PROBLEM_JSON);
        // The header may come more than once ("close, close"): each says the same.
        assertThat(result.header("connection").split("\\s*,\\s*"))
                .isNotEmpty()
                .allMatch(token -> token.equalsIgnoreCase("close"));
        assertThat(result.bodyText())
                .contains("\"type\":\"" + PROBLEMS + "payload-too-large\"")
                .contains("\"limit\":\"" + jsonEndpointLimitProperty() + "\"")
                .contains("\"maximum\":" + jsonEndpointLimit());
    }

    @Test
    void shouldRefuseControlCharactersInPathAndQueryBeforeAnyResource() {
        UUID group = UUID.randomUUID();
        String read = String.format(groupReadPath(), group);
        given().auth()
                .oauth2(TestTokens.admin())
                .urlEncodingEnabled(false)
                .get(read + "?type=%00")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("errors[0].field", equalTo("type"));
        given().auth()
                .oauth2(TestTokens.admin())
                .urlEncodingEnabled(false)
                .get(read + "?limit=5&cursor=a%1Fb")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("cursor"));
        given().auth()
                .oauth2(TestTokens.admin())
                .urlEncodingEnabled(false)
                .get("/me%00")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
        given().auth()
                .oauth2(TestTokens.admin())
                .urlEncodingEnabled(false)
                .get("/groups/" + group + "%00/x")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("groupId"));
    }

    @Test
    void shouldRefuseAnotherTenantsGroupBeforeAnyValidation() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        String token = TestTokens.forTenants(mine);
        String read = String.format(groupReadPath(), theirs);
        given().auth()
                .oauth2(token)
                .urlEncodingEnabled(false)
                .get(read + "?limit=x&type=%00&defaultStatus=x")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        String write = "/groups/" + theirs + "/things:batch";
        given().auth()
                .oauth2(token)
                .contentType("text/plain")
                .body("not json")
                .post(write + "?defaultStatus=x")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(new byte[100_000])
                .put("/groups/" + theirs + "/anything")
                .then()
                .statusCode(403)
                .contentType(PROBLEM_JSON);
        // A malformed group id stays the caller's malformed request; no token is 401, before anything else.
        given().auth()
                .oauth2(token)
                .get("/groups/not-a-group/things")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("groupId"));
        given().urlEncodingEnabled(false)
                .get(read + "?type=%00")
                .then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().auth()
                .oauth2(TestTokens.expired(theirs))
                .contentType("text/plain")
                .body("x")
                .post(write + "?defaultStatus=x")
                .then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
        given().auth()
                .oauth2(token)
                .urlEncodingEnabled(false)
                .get(String.format(groupReadPath(), mine) + "?type=%00")
                .then()
                .statusCode(400);
    }

    @Test
    void shouldKeepJsonValuesExactOrRefuseThemNamingTheField() {
        String echo = PlatformProbe.PATH + "/echo";
        Map<String, String> refused = Map.of(
                "{\"amount\":1.5}", "amount",
                "{\"amount\":1e400}", "amount",
                "{\"amount\":9223372036854775808}", "amount",
                "{\"count\":2147483648}", "count",
                "{\"ratio\":1e400}", "ratio",
                "{\"text\":\"a\\u0000b\"}", "text",
                "{\"counts\":{\"a\\u0000\":1}}", "counts",
                "{\"at\":\"+10000-01-01T00:00:00Z\"}", "at",
                "{\"at\":1e300}", "at");
        refused.forEach((body, field) -> given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post(echo)
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("errors[0].field", equalTo(field))
                .body("detail", not(containsString("java."))));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"data\":" + "[".repeat(64) + "]".repeat(64) + "}")
                .post(echo)
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("detail", startsWith("The body exceeds a JSON limit: nesting depth above 64"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"amount\":" + "9".repeat(101) + "}")
                .post(echo)
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("detail", startsWith("The body exceeds a JSON limit: a number longer than 100 characters"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"text\":\"ok\",\"amount\":9223372036854775807,\"count\":-2147483648,\"ratio\":0.1,"
                        + "\"at\":\"9999-12-31T23:59:59Z\"}")
                .post(echo)
                .then()
                .statusCode(200)
                .body("amount", equalTo(Long.MAX_VALUE))
                .body("count", equalTo(Integer.MIN_VALUE))
                .body("ratio", equalTo(0.1f))
                .body("at", equalTo("9999-12-31T23:59:59Z"));
    }

    @Test
    void shouldAnswerInputRefusedByTheDatabaseAs400WithTheStatementHidden() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"note\":\"nul \\u0000 here\"}")
                .post(PlatformProbe.PATH + "/stored-text")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("reference", matchesPattern("[0-9a-f-]{36}"))
                .body("detail", not(containsString("SELECT")))
                .body("detail", not(containsString("0x00")));
    }

    @Test
    void shouldOwnItsSchemaThroughFlyway() throws Exception {
        TestEndpoints db = TestServers.ensureStarted();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.dbUser(), db.dbPassword());
                PreparedStatement history = connection.prepareStatement("SELECT count(*) FROM " + schema()
                        + ".flyway_schema_history WHERE success AND version IS NOT NULL");
                PreparedStatement table = connection.prepareStatement(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            try (ResultSet rs = history.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("versioned migrations applied in schema %s", schema())
                        .isPositive();
            }
            table.setString(1, schema());
            table.setString(2, ownedTable());
            try (ResultSet rs = table.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("table %s.%s", schema(), ownedTable())
                        .isEqualTo(1);
            }
        }
    }
}
