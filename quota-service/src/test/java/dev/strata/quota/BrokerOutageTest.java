package dev.strata.quota;

import static dev.strata.quota.QuotaApi.eventually;
import static dev.strata.quota.QuotaApi.quotas;
import static dev.strata.quota.QuotaEvents.groupCreated;
import static dev.strata.quota.QuotaEvents.send;
import static dev.strata.quota.QuotaEvents.thingCreated;
import static org.hamcrest.Matchers.equalTo;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The consumer rides out a broker outage longer than its session (test profile: 10 s), so that it has to join
 * the group again and be assigned its partitions anew when the broker is back, without a restart of the service.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class BrokerOutageTest {

    @Test
    void shouldResumeConsumingWhereItStoppedAfterTheBrokerWasAway() throws InterruptedException {
        UUID group = UUID.randomUUID();
        send(groupCreated(group, "pro"), thingCreated(group, "user", 10));
        eventually(() -> quotas(group).statusCode(200).body("quotas.users.current", equalTo(1)));

        TestServers.stopKafka();
        try {
            Thread.sleep(15_000); // longer than session.timeout.ms: the group forgets the member
        } finally {
            TestServers.startKafka();
        }

        UUID later = UUID.randomUUID();
        send(thingCreated(group, "user", 10), groupCreated(later, "starter"), thingCreated(later, "user", 10));
        eventually(() -> quotas(group).statusCode(200).body("quotas.users.current", equalTo(2)));
        eventually(() -> quotas(later)
                .statusCode(200)
                .body("plan", equalTo("starter"))
                .body("quotas.users.current", equalTo(1)));
        eventually(() -> RestAssured.get("/q/health/ready").then().statusCode(200));
    }
}
