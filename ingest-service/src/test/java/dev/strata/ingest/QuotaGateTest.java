package dev.strata.ingest;

import dev.strata.local.FreePorts;
import dev.strata.model.events.EventType;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.strata.ingest.IngestClient.activity;
import static dev.strata.ingest.IngestClient.newGroup;
import static dev.strata.ingest.IngestClient.newThings;
import static dev.strata.ingest.IngestClient.post;
import static dev.strata.ingest.IngestClient.postThings;
import static dev.strata.ingest.IngestClient.rows;
import static dev.strata.ingest.IngestClient.things;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** ingest reserves quota before it writes, and a refused reservation writes nothing. */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
@TestProfile(QuotaGateTest.GateOn.class)
class QuotaGateTest {

    /** The gate on, pointed at the stand-in served by this very application. */
    public static class GateOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = FreePorts.next();
            return Map.of("strata.ingest.quota.enabled", "true",
                    "quarkus.http.test-port", Integer.toString(port),
                    "quarkus.rest-client.quota.url", "http://127.0.0.1:" + port,
                    "strata.ingest.quota.unknown-group-wait", "200ms");
        }
    }

    @AfterEach
    void reset() {
        QuotaStandIn.down = false;
    }

    @Test
    void shouldRefuseTheWholeBatchOverTheLimitAndWriteNothing() {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "entities_total", 5);
        postThings(group, videos(6)).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/quota-exceeded"))
                .body("metric", equalTo("entities_total"))
                .body("limit", equalTo(5))
                .body("requested", equalTo(6))
                .body("current", equalTo(0))
                .body("upgrade", equalTo("pro"));
        assertThat(things(group)).isZero();
        assertThat(activity(group, EventType.BATCH_IMPORT)).isZero();
    }

    @Test
    void shouldReserveEveryMetricWithTheBatchIdAsReference() {
        UUID group = newGroup("starter");
        String body = "{\"items\":[{\"type\":\"user\",\"name\":\"a\",\"properties\":{\"k\":\"v\"}},"
                + "{\"type\":\"video\",\"name\":\"b\"}]}";
        String batchId = postThings(group, body).statusCode(200).extract().path("batchId");
        List<QuotaStandIn.Call> calls = QuotaStandIn.RESERVED.stream().filter(c -> c.group().equals(group)).toList();
        // 2 things, 1 of them a person, properties {"k":"v"} (9 bytes) + {} (2 bytes)
        assertThat(calls).extracting(QuotaStandIn.Call::metric, QuotaStandIn.Call::amount, QuotaStandIn.Call::reference)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("entities_total", 2L, batchId),
                        org.assertj.core.groups.Tuple.tuple("users", 1L, batchId),
                        org.assertj.core.groups.Tuple.tuple("storage_gb", 11L, batchId));
        assertThat(things(group)).isEqualTo(2);
    }

    @Test
    void shouldReleaseWhatWasGrantedWhenALaterMetricIsRefused() {
        UUID group = newGroup("starter");
        QuotaStandIn.limit(group, "users", 1);
        int releasedBefore = QuotaStandIn.RELEASED.size();
        // entities_total (2) and storage_gb (2 x "{}" = 4 bytes) are granted, users is refused, so both grants
        // must be given back
        postThings(group, "{\"items\":[{\"type\":\"user\",\"name\":\"a\"},{\"type\":\"user\",\"name\":\"b\"}]}")
                .statusCode(409).body("metric", equalTo("users"));
        assertThat(QuotaStandIn.RELEASED.size() - releasedBefore).isEqualTo(2);
        assertThat(things(group)).isZero();
    }

    @Test
    void shouldGiveTheGrantBackWhenTheWritesAreRefusedAfterTheReservation() {
        UUID group = newGroup("starter");
        List<String> people = newThings(group, "user", "user");
        String connection = "{\"fromThingId\":\"" + people.get(0) + "\",\"toThingId\":\"" + people.get(1)
                + "\",\"relationshipType\":\"following\"}";
        post(group, "connections:batch", "{\"items\":[" + connection + "]}").statusCode(200);
        int releasedBefore = QuotaStandIn.RELEASED.size();
        // the stored duplicate shows only at the insert, which runs while connections_total is being reserved:
        // atomic mode refuses the batch, the writes roll back and the grant goes back
        post(group, "connections:batch", "{\"items\":[" + connection + "],\"options\":{\"atomic\":true}}")
                .statusCode(422);
        assertThat(QuotaStandIn.RELEASED.size() - releasedBefore).isEqualTo(1);
        assertThat(rows("connections", group)).isEqualTo(1);
    }

    @Test
    void shouldFailClosedWhenQuotaServiceCannotAnswer() {
        UUID group = newGroup("starter");
        QuotaStandIn.down = true;
        postThings(group, videos(1)).statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://strata.dev/problems/service-unavailable"));
        assertThat(things(group)).isZero();
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void shouldAnswer404ForAnUnknownGroupWithoutAskingQuota() {
        UUID unknown = UUID.randomUUID();
        int before = QuotaStandIn.RESERVED.size();
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body(videos(1))
                .post("/groups/{g}/things:batch", unknown).then()
                .statusCode(404).contentType("application/problem+json");
        assertThat(QuotaStandIn.RESERVED.size()).isEqualTo(before);
    }

    @Test
    void shouldNotReserveForAReplayedIdempotencyKey() {
        UUID group = newGroup("starter");
        String key = "k-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(TestTokens.forTenants(group)).header("Idempotency-Key", key)
                    .contentType("application/json").body(videos(1))
                    .post("/groups/{g}/things:batch", group).then().statusCode(200);
        }
        assertThat(QuotaStandIn.RESERVED.stream().filter(c -> c.group().equals(group)
                && c.metric().equals("entities_total"))).hasSize(1);
    }

    private static String videos(int n) {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"video\",\"name\":\"v").append(i).append("\"}");
        }
        return body.append("]}").toString();
    }
}
