package dev.strata.quota;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class QuotaPlatformTest extends PlatformContractTest {

    @Override
    protected String schema() {
        return "quota";
    }

    @Override
    protected String ownedTable() {
        return "counters";
    }

    @Override
    protected String groupReadPath() {
        return "/groups/%s/quotas";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/quotas/reservations");
    }

    @Override
    protected Set<String> bodilessWrites() {
        return Set.of(
                "POST /admin/quotas/rebuild",
                "POST /admin/quotas/reconcile/{group}/fix",
                "POST /admin/quotas/lag/window");
    }
}
