package dev.strata.quota;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuotaPlatformTest extends PlatformContractTest {

    @Override
    protected String schema() {
        return "quota";
    }

    @Override
    protected String ownedTable() {
        return "applied_events";
    }

    @Override
    protected String groupReadPath() {
        return "/groups/%s/quotas";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/quotas/reservations");
    }
}
