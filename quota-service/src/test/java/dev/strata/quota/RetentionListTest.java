package dev.strata.quota;

import static dev.strata.quota.QuotaApi.awaitGroup;
import static dev.strata.quota.QuotaApi.setOverrides;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.planChanged;
import static dev.strata.quota.QuotaEvents.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /quotas/retention}, which archival-service reads before each run: every known group's
 * {@code events_retention_days} from its plan (SPEC: starter 90, pro 365, enterprise unlimited) with the group's
 * override, paged in group id order, to service and admin tokens only.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class RetentionListTest {

    @Test
    void shouldListEveryGroupsRetentionFromItsPlanAndOverrideAPageAtATime() {
        UUID starter = UUID.randomUUID();
        UUID pro = UUID.randomUUID();
        UUID enterprise = UUID.randomUUID();
        UUID downgraded = UUID.randomUUID();
        UUID overridden = UUID.randomUUID();
        send(
                groupCreated(starter, "starter"),
                groupCreated(pro, "pro"),
                groupCreated(enterprise, "enterprise"),
                groupCreated(downgraded, "pro"),
                planChanged(downgraded, "pro", "starter"),
                groupCreated(overridden, "enterprise"));
        for (UUID group : List.of(starter, pro, enterprise, downgraded, overridden)) {
            awaitGroup(group);
        }
        QuotaApi.eventually(() -> assertThat(all().get(downgraded)).isEqualTo("starter:90"));
        setOverrides(overridden, "{\"events_retention_days\": 30}");

        Map<UUID, String> listed = all();
        assertThat(listed.get(starter)).isEqualTo("starter:90");
        assertThat(listed.get(pro)).isEqualTo("pro:365");
        assertThat(listed.get(enterprise)).isEqualTo("enterprise:null");
        assertThat(listed.get(overridden)).isEqualTo("enterprise:30");

        // Pages of 2 list the same groups, each once, in order.
        List<String> paged = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            JsonPath page = given().auth()
                    .oauth2(TestTokens.service())
                    .queryParams(after == null ? Map.of("limit", 2) : Map.of("limit", 2, "after", after))
                    .get("/quotas/retention")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            paged.addAll(page.getList("groups.groupId", String.class));
            after = page.getString("next");
            if (after == null) {
                break;
            }
        }
        assertThat(paged).doesNotHaveDuplicates().isSorted().hasSize(listed.size());

        // One group alone, as archival asks about one group; an unknown one is absent.
        given().auth()
                .oauth2(TestTokens.service())
                .get("/quotas/retention?groupId=" + overridden)
                .then()
                .statusCode(200)
                .body("groups.groupId", contains(overridden.toString()))
                .body("groups[0].plan", equalTo("enterprise"))
                .body("groups[0].days", equalTo(30))
                .body("next", nullValue());
        given().auth()
                .oauth2(TestTokens.service())
                .get("/quotas/retention?groupId=" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("groups", empty());
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/quotas/retention?groupId=nope")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("groupId"));

        given().auth()
                .oauth2(TestTokens.forTenants(starter))
                .get("/quotas/retention")
                .then()
                .statusCode(403);
        given().get("/quotas/retention").then().statusCode(401);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/quotas/retention?limit=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/quotas/retention?after=nope")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("after"));
    }

    /** Every group's "plan:days" through pages of the largest size. */
    private static Map<UUID, String> all() {
        Map<UUID, String> groups = new HashMap<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            JsonPath page = given().auth()
                    .oauth2(TestTokens.admin())
                    .queryParams(after == null ? Map.of() : Map.of("after", after))
                    .get("/quotas/retention")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> listed = page.getList("groups");
            for (Map<String, Object> group : listed) {
                groups.put(UUID.fromString((String) group.get("groupId")), group.get("plan") + ":" + group.get("days"));
            }
            after = page.getString("next");
            if (after == null) {
                return groups;
            }
        }
        throw new AssertionError("more than 10,000 pages");
    }
}
