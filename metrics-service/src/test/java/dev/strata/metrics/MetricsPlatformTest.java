package dev.strata.metrics;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class MetricsPlatformTest extends PlatformContractTest {

    @Override
    protected String schema() {
        return "metrics";
    }

    @Override
    protected String ownedTable() {
        return "things";
    }

    @Override
    protected String groupReadPath() {
        return "/groups/%s/metrics";
    }

    // metrics-service takes no request body of its own: the JSON cases use the test application's echo.

    /** A rebuild replays the stream: there is nothing to send. */
    @Override
    protected Set<String> bodilessWrites() {
        return Set.of("POST /admin/projections/rebuild");
    }
}
